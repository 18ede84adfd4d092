def log = new File(basedir, 'build.log').text
assert log.contains('sandbox.policy') : 'the message names the parameter'
assert log.contains('policy.json:8') : 'the message names the file and line'
assert log.contains('write') : 'the message suggests the nearest syscall'
assert !new File(basedir, 'out').exists() : 'nothing is written for a bad policy'
