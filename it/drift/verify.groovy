def log = new File(basedir, 'build.log').text
// One section per invocation (see invoker.properties).
def runs = log.split(/(?m)^\[INFO\] Scanning for projects\.\.\./).findAll { it.contains('BUILD ') }
assert runs.size() == 4 : "four invocations, found ${runs.size()}"
def (baseline, upgraded, refresh, ci) = runs

assert baseline.contains('BUILD SUCCESS') : 'notch-filter 1.0 passes under the adopted policy'

assert upgraded.contains('BUILD FAILURE') : 'notch-filter 2.0 fails verify before the refresh'
def failure = upgraded.readLines().findAll { it.startsWith('[ERROR]') }.join('\n')
assert failure.contains('times') : "the failure names the new system call:\n${failure}"
assert upgraded.contains('{"syscall": "times", "action": "allow"') : 'the failure shows the policy line to add'

assert refresh.contains('BUILD SUCCESS')
assert refresh.readLines().any { it.contains('] + {"syscall": "times", "action": "allow"') } : 'the refresh prints the added line'
assert new File(basedir, 'src/main/sandbox/policy.json').text.contains('"syscall": "times"')

assert ci.contains('BUILD SUCCESS') : 'after the refresh, notch-filter 2.0 passes from the committed policy alone'
