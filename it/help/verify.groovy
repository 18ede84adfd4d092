def log = new File(basedir, 'build.log').text
['sandbox:record', 'sandbox:profile', 'sandbox:verify', 'sandbox:help', 'sandbox.skip', 'sandbox.policy'].each {
    assert log.contains(it) : "help output lacks ${it}"
}
true
