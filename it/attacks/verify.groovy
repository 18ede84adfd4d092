def log = new File(basedir, 'build.log').text
def runs = log.split(/(?m)^\[INFO\] Scanning for projects\.\.\./).findAll { it.contains('BUILD ') }
assert runs.size() == 2 : "two invocations, found ${runs.size()}"

// What verify's failure must name for each attack: the denied system call, or the layer that stopped it.
def seccomp = [
        'ptrace'         : 'ptrace',
        'mount'          : 'mount',
        'unshare'        : 'unshare',
        'setns'          : 'setns',
        'init-module'    : 'init_module',
        'keyctl'         : 'keyctl',
        'bpf'            : 'bpf',
        'userfaultfd'    : 'userfaultfd',
        'perf-event-open': 'perf_event_open',
]
def x86 = System.getProperty('os.arch') in ['amd64', 'x86_64']
def expected = [
        // Natively every attack reaches the kernel: seccomp answers the calls, Landlock the paths and programs, the
        // pids cgroup the fork bomb. The inet socket itself is allowed (the JDK's libnet probes for IPv4 and IPv6
        // when it loads), so exfiltration is stopped at the first call the normalizer never makes, poll.
        //
        // These modules verify against the committed policy alone, with no recording or filesystem.json next to it,
        // so the native run confines the filesystem to the rules the command implies: the JDK, the class path, the
        // inputs to read, the output directory to write. The write next to the input is refused by Landlock, which
        // verify names. The shell module verifies against the policy profiled from its own benign run without gzip,
        // which only ever started threads: starting /bin/sh is refused at clone.
        native: seccomp + [
                'exfiltrate'   : 'poll',
                'shell'        : ': clone \u00d7',
                'write-outside': 'planted-by-evil-filter.txt',
                'fork-bomb'    : 'pids',
        ] + (x86 ? ['x32': 'x32', 'i386': 'i386'] : [:]),
        // In Docker the seccomp attacks are named through the complain-mode re-run (this engine does not log errno
        // answers, so every enforce run is checked by one); the fork bomb hits the pids limit. The connection is
        // named by the calls the normalizer never makes; the shell by clone, as natively. A write next to the input
        // is refused by the read-only input mount; the complain re-run sees it through an overlay of the input (the
        // build runs as root here) and verify names the file and the mount.
        docker: seccomp + [
                'exfiltrate'   : 'getsockopt',
                'shell'        : ': clone \u00d7',
                'write-outside': 'planted-by-evil-filter.txt',
                'fork-bomb'    : 'pids',
        ] + (x86 ? ['x32': 'x32', 'i386': 'i386'] : [:]),
]

['native', 'docker'].eachWithIndex { runtime, i ->
    def run = runs[i]
    // A failure message spans several lines: the goal's line, then one [ERROR] line per violation.
    def failures = [:]
    def current = null
    run.readLines().each { line ->
        def m = line =~ /^\[ERROR\] Failed to execute goal .*:verify \(attack\) on project attack-([a-z0-9-]+): (.*)$/
        if (m) {
            current = m[0][1]
            failures[current] = m[0][2]
        } else if (current != null && line.startsWith('[ERROR] ') && !line.contains('-> [Help')) {
            failures[current] += '\n' + line
        } else {
            current = null
        }
    }
    // The same run with no attack, under the same policy and confinement, passes: no false violations.
    assert failures['benign'] == null : "${runtime}: the benign run failed verify: ${failures['benign']}"
    assert run.contains('without violations') && !run.contains('evil: none') : "${runtime}: the benign run passed"
    expected[runtime].each { attack, word ->
        if (!(attack in ['x32', 'i386'])) {
            // The two foreign-ABI attacks kill the process before it can report.
            assert run.contains("evil: ${attack}:") : "${runtime}: the ${attack} attack was attempted"
        }
        def message = failures[attack]
        assert message != null : "${runtime}: verify of attack-${attack} did not fail"
        assert message.contains(word) : "${runtime}: attack-${attack} names ${word}: ${message}"
    }
}
assert !new File(basedir, '../normalizer/target/sandbox-input/planted-by-evil-filter.txt').exists() : 'nothing planted'
true
