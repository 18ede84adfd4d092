def log = new File(basedir, 'build.log').text
def runs = log.split(/(?m)^\[INFO\] Scanning for projects\.\.\./).findAll { it.contains('BUILD ') }
assert runs.size() == 2 : "two invocations, found ${runs.size()}"
def (recorded, sandboxed) = runs

// The benign test ran traced, and its recording became the policy.
assert recorded.contains('BUILD SUCCESS')
assert new File(basedir, 'target/sandbox/recording-tests.json').isFile()
assert new File(basedir, 'target/sandbox/seccomp.json').isFile()

// Under that policy the benign test passes and the connecting one fails, at the refused socket.
assert sandboxed.contains('BUILD FAILURE')
assert sandboxed =~ /Forked test JVMs started through \$\{sandbox\.jvm\} \(.*java-sandboxed\) run under .*seccomp\.json/
def benign = new File(basedir, 'target/failsafe-reports/TEST-dev.sandboxed.tests.BenignIT.xml').text
assert benign.contains('tests="1"') && benign.contains('failures="0"') && benign.contains('errors="0"') : benign
def connecting = new File(basedir, 'target/failsafe-reports/TEST-dev.sandboxed.tests.ConnectingIT.xml').text
assert connecting.contains('Operation not permitted') : connecting
assert sandboxed =~ /ConnectingIT\.opensANetworkConnection/ : 'failsafe names the test that made the refused call'
// The fork names the refused calls: the socket family was recorded (the JDK probes it), so the first call the
// benign run never made is refused, as is each later one.
def named = sandboxed.readLines().findAll { it.contains('[sandbox]   ') && it =~ /: (socket|connect|getsockopt|poll) \u00d7/ }
assert named : 'the fork names the refused call:\n' + sandboxed.readLines().findAll { it.contains('[sandbox]') }.join('\n')
assert named.every { it.contains('/java:') && it.contains('add {"syscall": ') } : "with the program and the fix: ${named}"
def json = new File(basedir, 'target/sandbox/verify/test-jvm').listFiles().find { it.name ==~ /violations-\d+\.json/ }
assert json && json.text.contains('"syscall" : "') : 'violations-PID.json lists the calls'
true
