import groovy.json.JsonSlurper
import java.util.zip.GZIPInputStream

def log = new File(basedir, 'build.log').text
def target = new File(basedir, 'target')

/** Checks a normalized EDF+ file: 8 harmonised channels and the annotation signal, 120 one-second records. */
def checkEdf = { File gz ->
    byte[] edf = new GZIPInputStream(new FileInputStream(gz)).withCloseable { it.readAllBytes() }
    String header = new String(edf, 0, 256, 'US-ASCII')
    assert header.startsWith('0       ') : "${gz}: not an EDF file"
    assert header.substring(192, 197) == 'EDF+C' : "${gz}: not EDF+C"
    int signals = header.substring(252, 256).trim() as int
    assert signals == 9 : "${gz}: ${signals} signals"
    assert header.substring(184, 192).trim() as int == 256 * (signals + 1)
    int records = header.substring(236, 244).trim() as int
    assert records == 120
    String signalHeader = new String(edf, 256, 256 * signals, 'US-ASCII')
    assert signalHeader.substring(0, 16).trim() == 'EEG FC5'
    long samplesPerRecord = 0
    for (int i = 0; i < signals; i++) {
        samplesPerRecord += signalHeader.substring(216 * signals + 8 * i, 216 * signals + 8 * i + 8).trim() as int
    }
    assert edf.length == 256 * (signals + 1) + records * samplesPerRecord * 2 : "${gz}: length does not match the header"
}

def checkReport = { File json ->
    def report = new JsonSlurper().parse(json)
    assert report.input == 'sample.edf' && report.output == 'sample.edf.gz' && report.scale == 'zscore'
    assert report.dataRecords == 120
    assert report.channels.size() == 8
    report.channels.each { channel ->
        assert channel.label.new.startsWith('EEG ') : "label ${channel.label}"
        assert channel.unit.new == 'uV'
        assert channel.sd > 0
    }
}

// The second verify runs in Docker, or, in the README's demo, wherever sandbox.runtime=auto lands.
def second = new File(target, 'sandbox-output-docker').isDirectory() ? 'docker' : 'auto'
['native', second].each { runtime ->
    def out = new File(target, "sandbox-output-${runtime}")
    checkEdf(new File(out, 'sample.edf.gz'))
    checkReport(new File(out, 'sample.report.json'))
}
['sample.edf.gz', 'sample.report.json'].each { name ->
    assert new File(target, "sandbox-output-native/${name}").bytes == new File(target, "sandbox-output-${second}/${name}").bytes :
            "${name} differs between the native and the ${second} run"
}

// gzip is a component of its own, with the calls only it made.
def recording = new JsonSlurper().parse(new File(target, 'sandbox/recording.json'))
def components = recording.components.x86_64 ?: recording.components.aarch64
def gzip = components.find { name, component -> name.endsWith('/gzip') }
def java = components.find { name, component -> name.endsWith('/java') }
assert gzip && java : "components: ${components.keySet()}"
def gzipCalls = gzip.value.syscalls*.name as Set
def javaCalls = java.value.syscalls*.name as Set
['fchown', 'utimensat', 'unlinkat'].each {
    assert gzipCalls.contains(it) && !javaCalls.contains(it) : "${it} is gzip's own: gzip ${gzipCalls}, java ${javaCalls}"
}
def html = new File(target, 'sandbox/report.html').text
assert html.contains('/usr/bin/gzip') || html.contains('/bin/gzip')
['fchown', 'utimensat'].each { assert html.contains(it) }

// Recorded again inside the image Docker runs it in: the image's own JVM and gzip, under their paths there.
if (second == 'docker') {
    def inImage = new JsonSlurper().parse(new File(target, 'sandbox/recording-docker.json'))
    assert inImage.runs[0].backend.contains(' in docker sandbox-maven-plugin/app:') : "runs: ${inImage.runs}"
    def imageComponents = (inImage.components.x86_64 ?: inImage.components.aarch64).keySet()
    assert imageComponents.contains('/opt/java/bin/java') : "components in the image: ${imageComponents}"
    assert imageComponents.any { it.endsWith('/gzip') } : "components in the image: ${imageComponents}"
    assert log.contains('in Docker, in the image verify runs it in')
}

// The sample run was recorded, profiled, and verified under the committed policy in both runtimes.
assert log.contains('Recorded ') && log.contains('Seccomp policy compiled into')
assert (log =~ /(?m)^\[INFO\] BUILD SUCCESS/).count == 2
