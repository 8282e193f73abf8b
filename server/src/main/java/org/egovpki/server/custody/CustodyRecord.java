package org.egovpki.server.custody;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What the server knows of the current split, {@code <data>/custody/custody.properties}: the key
 * store's custody id, the split's epoch, its threshold and custodians. Nothing secret: the
 * password and the shares are never on disk in the clear. The server checks every presented
 * share against it, so a share of another CA (another id) or of an earlier split (another epoch)
 * is refused before it is used.
 *
 * @param keyStore the key store's custody id (random, fixed at init; hex)
 * @param epoch    the split in force: 1 at init, +1 at every reshare
 * @param plan     its threshold and custodians, in share-index order (index = position + 1)
 */
public record CustodyRecord(String keyStore, int epoch, CustodyPlan plan) {

    static final String FILE = "custody.properties";

    /** The record in {@code dir}, or {@code null} when custody by shares was never set up there. */
    public static CustodyRecord load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return new CustodyRecord(properties.getProperty("keyStore"),
                    Integer.parseInt(properties.getProperty("epoch")),
                    new CustodyPlan(Integer.parseInt(properties.getProperty("threshold")),
                            Arrays.asList(properties.getProperty("custodians").split(","))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "); restore it from the "
                    + "data directory's backup", e);
        }
    }

    void write(Path dir) {
        Properties properties = new Properties();
        properties.setProperty("keyStore", keyStore);
        properties.setProperty("epoch", Integer.toString(epoch));
        properties.setProperty("threshold", Integer.toString(plan.threshold()));
        properties.setProperty("custodians", String.join(",", plan.custodians()));
        Path file = dir.resolve(FILE);
        Path temporary = dir.resolve(FILE + ".new");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "egov-pki key custody: the split in force (no secrets here)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temporary + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file + ": " + e.getMessage(), e);
        }
    }

    /** How many shares unlock. */
    public int threshold() {
        return plan.threshold();
    }

    /** The custodians, in share-index order. */
    public List<String> custodians() {
        return plan.custodians();
    }
}
