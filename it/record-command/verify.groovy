def recording = new groovy.json.JsonSlurper().parse(new File(basedir, 'rec/recording.json'))
def components = recording.components.x86_64 ?: recording.components.aarch64
assert components.keySet().any { it.endsWith('/ls') } : "ls is its own component: ${components.keySet()}"
assert components.keySet().any { it.endsWith('/wc') } : "wc is its own component: ${components.keySet()}"
assert recording.runs.size() == 1 && recording.runs[0].exitStatus == 0
def policy = new File(basedir, 'out/policy.json').text
assert policy.contains('"execve"') && policy.contains('"pipe2"') || policy.contains('"pipe"')
assert new File(basedir, 'out/seccomp.json').isFile()
