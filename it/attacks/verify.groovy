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
        native: seccomp + [
                'exfiltrate'   : 'poll',
                'shell'        : '/bin/sh',
                'write-outside': 'planted-by-evil-filter.txt',
                'fork-bomb'    : 'pids',
        ] + (x86 ? ['x32': 'x32', 'i386': 'i386'] : [:]),
        // In Docker the seccomp attacks are named through the complain-mode re-run; the fork bomb hits the pids
        // limit. A shell, a write next to the input and a connection are stopped before any system call is denied
        // (the image has no /bin/sh, the input is mounted read-only, the network is none): null = stopped, and
        // verify has nothing to report.
        docker: seccomp + [
                'exfiltrate'   : null,
                'shell'        : null,
                'write-outside': null,
                'fork-bomb'    : 'pids',
        ] + (x86 ? ['x32': 'x32', 'i386': 'i386'] : [:]),
]

['native', 'docker'].eachWithIndex { runtime, i ->
    def run = runs[i]
    def failures = [:]
    run.readLines().each { line ->
        def m = line =~ /^\[ERROR\] Failed to execute goal .*:verify \(attack\) on project attack-([a-z0-9-]+): (.*)$/
        if (m) {
            failures[m[0][1]] = m[0][2]
        }
    }
    expected[runtime].each { attack, word ->
        if (!(attack in ['x32', 'i386'])) {
            // The two foreign-ABI attacks kill the process before it can report.
            assert run.contains("evil: ${attack}:") : "${runtime}: the ${attack} attack was attempted"
        }
        def message = failures[attack]
        if (word == null) {
            assert message == null : "${runtime}: attack-${attack} is stopped outside seccomp and passes: ${message}"
            def outcome = run.readLines().find { it.contains("evil: ${attack}: ") }
            assert outcome.contains('refused') : "${runtime}: the ${attack} attack was stopped: ${outcome}"
        } else {
            assert message != null : "${runtime}: verify of attack-${attack} did not fail"
            assert message.contains(word) : "${runtime}: attack-${attack} names ${word}: ${message}"
        }
    }
}
assert !new File(basedir, '../normalizer/target/sandbox-input/planted-by-evil-filter.txt').exists() :
        'no attack wrote next to the input data'
