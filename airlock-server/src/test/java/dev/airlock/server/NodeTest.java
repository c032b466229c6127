package dev.airlock.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests that share one real node per class; the upstream's scripted behaviour is reset before each test. */
abstract class NodeTest {
    @TempDir
    static Path dir;

    static TestNode node;

    @BeforeAll
    static void startNode() {
        node = TestNode.start(dir);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void resetUpstream() {
        node.upstream.clear();
    }
}
