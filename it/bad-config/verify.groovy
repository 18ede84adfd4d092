def log = new File(basedir, 'build.log').text
def runs = log.split(/(?m)^\[INFO\] Scanning for projects\.\.\./).findAll { it.contains('BUILD ') }
assert runs.size() == 5 : "five invocations, found ${runs.size()}"

/** The first [ERROR] line of a run: Maven's "Failed to execute goal ...: <message>". */
def message = { String run ->
    assert run.contains('BUILD FAILURE')
    run.readLines().find { it.startsWith('[ERROR] Failed to execute goal') } ?: ''
}

def missing = message(runs[0])
assert missing.contains('sandbox.command') && missing.contains('no-such-program') && missing.contains('PATH')

def tracer = message(runs[1])
assert tracer.contains('sandbox.tracer') && tracer.contains('strace') && tracer.contains('seccomp') && tracer.contains('ptrace')

def runtime = message(runs[2])
assert runtime.contains('sandbox.runtime') && runtime.contains('podman')
['docker', 'native', 'auto'].each { assert runtime.contains(it) : "the message lists the runtimes: ${runtime}" }

def typo = message(runs[3])
assert typo.contains('sandbox.policy') && typo.contains('typo-policy.json:7') && typo.contains('AF_UNIXX')
assert typo.contains('AF_UNIX,') || typo.contains('AF_UNIX?') || typo.contains('AF_UNIX ') : "the message suggests AF_UNIX: ${typo}"

def verifyMissing = message(runs[4])
assert verifyMissing.contains('sandbox.command') && verifyMissing.contains('no-such-program')

assert !new File(basedir, 'rec').exists() : 'nothing was recorded'
