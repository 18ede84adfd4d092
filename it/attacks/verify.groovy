def log = new File(basedir, 'build.log').text
def runs = log.split(/(?m)^\[INFO\] Scanning for projects\.\.\./).findAll { it.contains('BUILD ') }
assert runs.size() == 2 : "two invocations, found ${runs.size()}"

// What each attack's failure must name, per runtime: the denied system call, or the layer that stopped it.
def x86 = System.getProperty('os.arch') in ['amd64', 'x86_64']
def expected = [
        'ptrace'         : ['ptrace'],
        'mount'          : ['mount'],
        'unshare'        : ['unshare'],
        'setns'          : ['setns'],
        'init-module'    : ['init_module'],
        'keyctl'         : ['keyctl'],
        'bpf'            : ['bpf'],
        'userfaultfd'    : ['userfaultfd'],
        'perf-event-open': ['perf_event_open'],
        'exfiltrate'     : ['poll'],
        'shell'          : ['/bin/sh'],
        'write-outside'  : ['planted-by-evil-filter.txt'],
        'fork-bomb'      : ['pids'],
]
if (x86) {
    expected['x32'] = ['x32']
    expected['i386'] = ['i386']
}

['native', 'docker'].eachWithIndex { runtime, i ->
    def run = runs[i]
    assert run.contains('BUILD FAILURE')
    def failures = [:]
    run.readLines().each { line ->
        def m = line =~ /^\[ERROR\] Failed to execute goal .*:verify \(attack\) on project attack-([a-z0-9-]+): (.*)$/
        if (m) {
            failures[m[0][1]] = m[0][2]
        }
    }
    expected.each { attack, words ->
        assert run.contains("evil: ${attack}:") : "${runtime}: the ${attack} attack was attempted"
        def message = failures[attack]
        assert message != null : "${runtime}: verify of attack-${attack} did not fail"
        words.each { assert message.contains(it) : "${runtime}: attack-${attack} names ${it}: ${message}" }
    }
}
assert !new File(basedir, '../normalizer/target/sandbox-input/planted-by-evil-filter.txt').exists() :
        'no attack wrote next to the input data'
