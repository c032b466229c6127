package dev.airlock.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.Checkpoint;
import dev.airlock.audit.Publication;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.json.Json;
import dev.airlock.server.json.ProofJson;
import dev.airlock.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed checkpoints published outside the database ({@code audit.publish}): one JSON line each, appended and forced
 * to disk as they are signed. Kept where the database's writers cannot rewrite it (another host, a write-once
 * bucket, a log shipper), it lets {@code airlock audit verify --published} show that the log is still the one those
 * checkpoints signed, even against someone who can write the database and holds the signing key.
 */
public final class PublishedCheckpoints implements Publication {
    private static final Logger LOG = LoggerFactory.getLogger(PublishedCheckpoints.class);
    private final Path file;

    public PublishedCheckpoints(Path file) {
        this.file = file;
    }

    @Override
    public String where() {
        return file.toString();
    }

    /** The checkpoints in the file; {@link Read.Absent} when there is no file, {@link Read.Unreadable} naming a line. */
    @Override
    public Read read() {
        try {
            return new Read.Found(read(file));
        } catch (NoSuchFileException e) {
            return new Read.Absent();
        } catch (IllegalArgumentException e) {
            return new Read.Unreadable(Objects.requireNonNullElse(e.getMessage(), e.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read published checkpoints from " + file, e);
        }
    }

    /** The file name used when {@code audit.publish} is not set: beside the signing key. */
    public static final String DEFAULT_NAME = "audit-checkpoints.jsonl";

    /**
     * Where checkpoints are published: {@code audit.publish}, by default {@value #DEFAULT_NAME} beside the signing key
     * file; empty when {@code audit.publish} is {@code off} (or {@code false}: YAML reads an unquoted {@code off} as
     * the boolean false).
     */
    public static Optional<Path> fileOf(AirlockConfig config) {
        String publish = config.audit().publish();
        if (publish == null) {
            return Optional.of(SigningKeyFile.of(config).path().resolveSibling(DEFAULT_NAME));
        }
        return publish.equals("off") || publish.equals("false")
                ? Optional.empty()
                : Optional.of(config.resolve(publish));
    }

    /** Where {@link #fileOf} says, or empty when publishing is off. */
    public static Optional<PublishedCheckpoints> of(AirlockConfig config) {
        return fileOf(config).map(PublishedCheckpoints::new);
    }

    /**
     * Publishes, if there is somewhere to; a failure is logged, not thrown (the checkpoint is signed and stored).
     * Returns false when publishing failed.
     */
    public static boolean publishIfConfigured(Optional<PublishedCheckpoints> where, Checkpoint c) {
        if (where.isEmpty()) {
            return true;
        }
        try {
            where.get().publish(c);
            return true;
        } catch (UncheckedIOException e) {
            LOG.error("checkpoint {} was signed but not published: {}", c.treeSize(), e.getMessage());
            return false;
        }
    }

    /** Appends a checkpoint and forces it to disk. */
    public synchronized void publish(Checkpoint c) {
        ObjectNode line = Json.mapper()
                .createObjectNode()
                .put("format", c.previous() == null ? "airlock.checkpoint/1" : "airlock.checkpoint/2");
        ProofJson.checkpoint(line, c);
        byte[] bytes = (line.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                PrivateFiles.createDirectories(parent);
            }
            boolean created = !Files.exists(file);
            if (created) {
                Files.createFile(file, ownerOnly("rw-------"));
            }
            if (!endsClean(file)) {
                // a line cut short by a crash or a full disk: end it, so this one stands on its own
                bytes = ("\n" + new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            try (FileChannel out = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            if (created && parent != null) {
                forceDirectory(parent); // so the new file's name survives a crash too
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish checkpoint " + c.treeSize() + " to " + file, e);
        }
    }

    /** Owner-only permissions where the file system has POSIX permissions; none elsewhere. */
    private static FileAttribute<?>[] ownerOnly(String permissions) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
        };
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {} to disk: {}", directory, e.toString());
        }
    }

    /** Whether the file is absent, empty, or ends with a whole line. */
    private static boolean endsClean(Path file) throws IOException {
        if (!Files.exists(file)) {
            return true;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (in.size() == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            in.read(last, in.size() - 1);
            return last.get(0) == '\n';
        }
    }

    /**
     * The checkpoints published in {@code file}, in the order written. A line cut short by a crash (not ended by a
     * newline, or ended by the next one written after it) is skipped with a warning.
     *
     * @throws IllegalArgumentException naming the line that is not a checkpoint
     */
    public static List<Checkpoint> read(Path file) throws IOException {
        List<Checkpoint> published = new ArrayList<>();
        int number = 0;
        try (var lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = Json.mapper().readTree(line);
                } catch (IOException torn) {
                    LOG.warn("{} line {} is cut short (a crash while it was written); skipped", file, number);
                    continue;
                }
                try {
                    published.add(ProofJson.checkpoint(node));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            file + " line " + number + " is not a published checkpoint: " + e.getMessage());
                }
            }
        }
        return published;
    }
}
