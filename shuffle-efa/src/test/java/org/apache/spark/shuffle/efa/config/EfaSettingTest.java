package org.apache.spark.shuffle.efa.config;

import io.efashuffle.transfer.transport.TransportConfig;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The declared settings are what the README documents and what the shipped configuration files use. */
class EfaSettingTest {
    private static final Path README = Path.of("README.md");
    private static final List<Path> SHIPPED = List.of(Path.of("..", "conf", "spark-defaults.conf.template"),
            Path.of("..", "conf", "kubernetes", "spark-efa.conf"));
    private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z.*]+)` \\|.*");
    private static final Pattern SHIPPED_LINE = Pattern.compile("^(#?)(spark\\.\\S+)\\s+(\\S.*)$");

    private static String row(EfaSetting s) {
        String dflt = s.defaultValue() == null ? "" : " `" + s.defaultValue() + "`";
        return "| `" + s.key() + "` |" + dflt + " | " + s.doc() + " |";
    }

    private static List<String> readmeRows() throws IOException {
        return Files.readAllLines(README).stream().filter(l -> ROW.matcher(l).matches()).toList();
    }

    @Test
    void theReadmeConfigurationTableIsTheDeclaredSettingsInOrder() throws IOException {
        List<String> documented = readmeRows().stream().filter(l -> !l.startsWith("| `transport.*`")).toList();
        List<String> declared = Arrays.stream(EfaSetting.values()).map(EfaSettingTest::row).toList();
        if (!declared.equals(documented)) {
            fail("shuffle-efa/README.md's configuration table must read (from EfaSetting):\n" + String.join("\n", declared));
        }
    }

    @Test
    void theReadmeTransportRowListsExactlyTheTransportsOwnSettings() throws IOException {
        String row = readmeRows().stream().filter(l -> l.startsWith("| `transport.*`")).findFirst().orElseThrow();
        Matcher keys = Pattern.compile("`([a-zA-Z]+)`").matcher(row.substring(row.indexOf('|', 2)));
        TreeSet<String> documented = new TreeSet<>();
        while (keys.find()) {
            documented.add(keys.group(1));
        }
        TreeSet<String> declared = new TreeSet<>(TransportConfig.KEYS);
        declared.removeAll(List.of("provider", "nics")); // spark.shuffle.efa.provider and .nics
        assertEquals(declared, documented);
    }

    @Test
    void everyDefaultIsValidAndTheDefaultsMakeAConfiguration() {
        EfaShuffleConf c = assertDoesNotThrow(() -> EfaShuffleConf.from(new SparkConf(false)));
        assertEquals(1L << 30, c.bufferBudget());
        for (EfaSetting s : EfaSetting.values()) {
            SparkConf empty = new SparkConf(false);
            switch (s.kind()) {
                case BOOLEAN -> assertDoesNotThrow(() -> s.bool(empty), s.key());
                case SIZE -> assertDoesNotThrow(() -> s.bytes(empty), s.key());
                case DURATION -> assertDoesNotThrow(() -> s.millis(empty), s.key());
                case NUMBER -> assertDoesNotThrow(() -> s.number(empty), s.key());
                case TEXT -> assertTrue(s.defaultValue() == null || !s.defaultValue().isBlank(), s.key());
            }
        }
    }

    @Test
    void aValueOutsideItsRangeNamesTheKeyAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EfaShuffleConf.from(
                new SparkConf(false).set(EfaSetting.FETCH_RETRIES.fullKey(), "101")));
        assertEquals("invalid spark.shuffle.efa.fetch.retries=101: expected a whole number from 0 to 100", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EfaShuffleConf.from(
                new SparkConf(false).set("spark.shuffle.efa.fetch.retry", "1")));
        assertTrue(e.getMessage().startsWith("unknown setting spark.shuffle.efa.fetch.retry; known: [buffer.budget"),
                e.getMessage());
    }

    /** Every spark.shuffle.efa.* line of the shipped files, commented-out ones too, is declared and valid. */
    @Test
    void theShippedConfigurationFilesUseDeclaredSettingsWithValidValues() throws IOException {
        for (Path file : SHIPPED) {
            SparkConf conf = new SparkConf(false);
            List<String> keys = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                Matcher m = SHIPPED_LINE.matcher(line.trim());
                if (m.matches() && m.group(2).startsWith(EfaSetting.PREFIX)) {
                    conf.set(m.group(2), m.group(3).trim());
                    keys.add(m.group(2));
                }
            }
            assertFalse(keys.isEmpty(), file + " sets no plugin setting");
            List<String> undeclared = keys.stream().map(k -> k.substring(EfaSetting.PREFIX.length()))
                    .filter(k -> EfaSetting.byKey(k) == null && !k.startsWith(EfaSetting.TRANSPORT_PREFIX))
                    .collect(Collectors.toList());
            assertEquals(List.of(), undeclared, file + " uses undeclared settings");
            assertDoesNotThrow(() -> EfaShuffleConf.from(conf), file.toString());
        }
    }
}
