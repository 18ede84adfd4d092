// Docker's default profile comes from ../shared next to the repository; a clone without it skips this project.
def profile = new File(basedir, '../../../../shared/corpus/docker-default.json')
if (!profile.isFile()) {
    println "skipped: ${profile.canonicalPath} is absent (../shared holds Docker's default profile)"
    return false
}
true
