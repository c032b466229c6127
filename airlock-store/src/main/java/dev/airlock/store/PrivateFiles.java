package dev.airlock.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and folders Airlock makes are its owner's alone (0600 and 0700): they hold Decisions, kept content, subject
 * keys and signing keys, which no other local user may read. Where the file system has no POSIX permissions, they are
 * made with its defaults.
 *
 * <pre>{@code
 * PrivateFiles.createDirectories(Path.of(".airlock"));     // each folder it makes is rwx------
 * try (OutputStream out = PrivateFiles.newOutputStream(export)) { ... } // a new file is rw-------
 * }</pre>
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    /** Makes {@code directory} and its missing parents, each one it makes owner-only; existing ones are left alone. */
    public static void createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, ownerOnly("rwx------"));
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(absolute)) {
                throw raced;
            }
        }
    }

    /** Makes {@code file} empty and owner-only unless it exists (its folders too); an existing file is left alone. */
    public static void createFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createFile(file, ownerOnly("rw-------"));
        } catch (FileAlreadyExistsException exists) {
            // kept as it is: its owner chose its permissions
        }
    }

    /** Opens {@code file} for writing from its start, making it owner-only first when it is new. */
    public static OutputStream newOutputStream(Path file) throws IOException {
        createFile(file);
        return Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Writes {@code text} as the whole of {@code file}, making it owner-only first when it is new. */
    public static void writeString(Path file, String text) throws IOException {
        createFile(file);
        Files.writeString(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
        };
    }
}
