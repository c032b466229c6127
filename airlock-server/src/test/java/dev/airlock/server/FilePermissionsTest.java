package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node writes to disk (database, its log files, keys, published checkpoints) is its owner's alone. */
class FilePermissionsTest {
    @TempDir
    Path dir;

    @Test
    void everyFileANodeCreates_isOwnerOnly_andEveryFolderToo() throws IOException {
        Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "the file system has no POSIX permissions");
        Path home = dir.resolve("fresh").resolve(".airlock");
        try (TestNode node = TestNode.start(home)) {
            HttpResponse<String> r = node.post(
                    "/v1/chat/completions",
                    TestNode.APP_KEY,
                    Map.of("model", "kept-assistant", "messages", List.of(Map.of("role", "user", "content", "hi"))));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(home.resolve("airlock.db-wal"))
                            && Files.exists(home.resolve("audit-checkpoints.jsonl")));

            try (Stream<Path> made = Files.walk(dir.resolve("fresh"))) {
                for (Path p : made.toList()) {
                    if (p.getFileName().toString().equals("airlock.yaml")) {
                        continue; // the configuration the test wrote, not the node
                    }
                    String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                            .as(dir.relativize(p).toString())
                            .isEqualTo(expected);
                }
            }
        }
    }
}
