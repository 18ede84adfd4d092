def log = new File(basedir, 'build.log').text
def policy = new File(basedir, 'src/main/sandbox/policy.json')

// The refresh printed the diff: gzip's own calls and the JDK process launcher's, each with its evidence.
assert log.contains("${policy.path} updated:") || log.contains('src/main/sandbox/policy.json updated:') : 'the refresh names the policy it rewrote'
def added = log.readLines().findAll { it.contains('] + {"syscall": ') }
def addedCalls = added.collect { (it =~ /"syscall": "([a-z0-9_]+)"/)[0][1] } as Set
['fchown', 'utimensat', 'unlinkat', 'wait4', 'pipe2'].each {
    assert addedCalls.contains(it) : "the diff adds ${it}: ${added}"
}
assert added.find { it.contains('"fchown"') }.contains('/usr/bin/gzip') || added.find { it.contains('"fchown"') }.contains('/bin/gzip') :
        'the added rule says which program needed it'
assert !log.readLines().any { it.contains('] - {"syscall": ') } : 'a refresh adds what was recorded and removes nothing'

// The committed file was rewritten with the new rules, keeping the old ones and their reasons.
def text = policy.text
assert text.contains('"syscall": "fchown"') && text.contains('"syscall": "wait4"')
assert text.contains('"syscall": "execve", "action": "allow", "reason": "recorded: 3 calls in 3/3 runs')

// CI's verify ran from the committed policy alone.
def ci = new File(basedir, 'target/ci')
assert !(ci.list() ?: new String[0]).any { it.startsWith('recording') } : "verify found no recording to lean on: ${ci.list()}"
assert (log =~ /(?m)^\[INFO\] BUILD SUCCESS/).count == 2
