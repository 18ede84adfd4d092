def names = ['seccomp.json', 'seccompprofile.yaml', 'policy.json',
             'seccomp-x86_64.bpf', 'seccomp-aarch64.bpf', 'seccomp-x86_64.txt', 'seccomp-aarch64.txt']
names.each { name ->
    def first = new File(basedir, "out1/${name}")
    def second = new File(basedir, "out2/${name}")
    assert first.isFile() : "missing ${first}"
    assert first.bytes == second.bytes : "${name} differs between two runs on the same input"
}
def bpf = new File(basedir, 'out1/seccomp-x86_64.bpf')
assert bpf.length() % 8 == 0 : 'a BPF program is a whole number of 8-byte instructions'
def log = new File(basedir, 'build.log').text
assert log.contains('x86_64') && log.contains('worst path')
assert new File(basedir, 'out1/seccompprofile.yaml').text.contains('kind: SeccompProfile')
