package city.heze.peony.streams.opendata;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.identifiers.CreditCodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded property loops: valid resident IDs, mobile numbers and Luhn-valid bank cards planted
 * anywhere in any string field never reach {@code open.*}, and the opened records pass an
 * independent scan written here, with its own check-character and Luhn arithmetic.
 */
class OpenChecksPropertyTest {
    private static final long SEED = 20_261_207L;

    @TempDir
    Path stateDir;

    private enum Kind {
        RESIDENT_ID(OpenChecks.FOUND_RESIDENT_ID, OpenFixtures::residentId),
        MOBILE(OpenChecks.FOUND_MOBILE, OpenFixtures::mobile),
        BANK_CARD(OpenChecks.FOUND_BANK_CARD, OpenFixtures::bankCard);

        final int bit;
        final Function<Random, String> generator;

        Kind(int bit, Function<Random, String> generator) {
            this.bit = bit;
            this.generator = generator;
        }
    }

    @Test
    void everyPlantedNumberIsFoundWhereverItIsWritten() {
        Random random = new Random(SEED);
        OpenChecks checks = new OpenChecks();
        for (int i = 0; i < 20_000; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            String secret = OpenFixtures.written(kind.generator.apply(random), random);
            String text = OpenFixtures.embed(hostText(random), secret, random);
            assertThat(checks.scan(text) & kind.bit)
                    .as("iteration %d: %s in '%s'", i, kind, text)
                    .isEqualTo(kind.bit);
        }
    }

    @Test
    void cleanTextAndMaskedValuesAreNotFlagged() {
        Random random = new Random(SEED + 1);
        OpenChecks checks = new OpenChecks();
        for (int i = 0; i < 5_000; i++) {
            String id = OpenFixtures.residentId(random);
            String masked =
                    OpenMasking.maskText(id, 6, 0) + " " + OpenMasking.maskText(OpenFixtures.mobile(random), 3, 4) + " "
                            + OpenMasking.maskText(OpenFixtures.bankCard(random), 4, 4);
            String text = hostText(random) + masked + hostText(random);
            assertThat(checks.scan(text)).as("iteration %d: '%s'", i, text).isZero();
        }
        // A unified social credit code of digits only is public, not a card number.
        int digitCodes = 0;
        for (int org = 10_000_000; org < 10_002_000; org++) {
            String code = CreditCodes.generate('9', '1', "371702", String.valueOf(org));
            if (code.chars().allMatch(Character::isDigit)) {
                digitCodes++;
                assertThat(checks.scan("统一社会信用代码" + code)).as(code).isZero();
            }
        }
        assertThat(digitCodes).isGreaterThan(100);
    }

    @Test
    void plantedNumbersNeverReachOpenTopicsThroughTheTopology() {
        Random random = new Random(SEED + 2);
        int planted = 0;
        int clean = 0;
        try (OpenDataDriver d = new OpenDataDriver(stateDir)) {
            d.register(OpenFixtures.entry(OpenDataDriver.START));
            for (int n = 0; n < 3_000; n++) {
                GenericRecord record = OpenFixtures.record(n);
                if (random.nextInt(3) > 0) {
                    plant(record, random);
                    planted++;
                } else {
                    clean++;
                }
                d.share(OpenFixtures.CATALOG, record.get("recordId").toString(), record, OpenDataDriver.START);
            }
            List<TestRecord<byte[], byte[]>> opened =
                    d.open(OpenFixtures.CATALOG).readRecordsToList();
            assertThat(opened).hasSize(clean);
            assertThat(d.withheld.readValuesToList()).hasSize(planted);
            for (TestRecord<byte[], byte[]> o : opened) {
                GenericRecord open = d.decode(OpenFixtures.CATALOG, o.value());
                List<String> strings = new ArrayList<>();
                strings(open, strings);
                strings.add(new String(o.key(), java.nio.charset.StandardCharsets.UTF_8));
                for (String s : strings) {
                    assertThat(IndependentScan.findings(s))
                            .as("open value '%s'", s)
                            .isEmpty();
                    assertThat(s).doesNotContain("张三丰");
                }
            }
        }
        assertThat(planted).isGreaterThan(1_500);
    }

    /** Puts a personal number (or the declared name) into one string field, nested ones included. */
    private static void plant(GenericRecord record, Random random) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        String secret = random.nextInt(10) == 0
                ? record.get("personName").toString()
                : OpenFixtures.written(kind.generator.apply(random), random);
        switch (random.nextInt(6)) {
            case 0 ->
                record.put("recordId", OpenFixtures.embed(record.get("recordId").toString(), secret, random));
            case 1 -> record.put("notes", OpenFixtures.embed(record.get("notes").toString(), secret, random));
            case 2 -> record.put("regionCode", OpenFixtures.embed("371702", secret, random));
            case 3 -> {
                @SuppressWarnings("unchecked")
                List<CharSequence> tags = (List<CharSequence>) record.get("tags");
                tags.add(OpenFixtures.embed("标签", secret, random));
            }
            case 4 -> {
                @SuppressWarnings("unchecked")
                Map<CharSequence, CharSequence> attributes = (Map<CharSequence, CharSequence>) record.get("attributes");
                attributes.put("remark", OpenFixtures.embed("补充说明", secret, random));
            }
            default -> ((GenericRecord) record.get("contact")).put("detail", OpenFixtures.embed("", secret, random));
        }
    }

    private static void strings(Object value, List<String> out) {
        if (value instanceof CharSequence s) {
            out.add(s.toString());
        } else if (value instanceof GenericRecord r) {
            for (Schema.Field f : r.getSchema().getFields()) {
                strings(r.get(f.pos()), out);
            }
        } else if (value instanceof List<?> items) {
            items.forEach(item -> strings(item, out));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                strings(k, out);
                strings(v, out);
            });
        }
    }

    private static final String[] WORDS = {"菏泽", "牡丹区", "中华路", "号", "办理", "abc", "Z", "第", "12", "7", "（", "）", "，"};

    private static String hostText(Random random) {
        StringBuilder text = new StringBuilder();
        int words = random.nextInt(6);
        for (int i = 0; i < words; i++) {
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    /** The independent check: regular expressions and arithmetic of its own, not OpenChecks'. */
    static final class IndependentScan {
        private static final Pattern NUMBER = Pattern.compile("[0-9]+(?:[ -][0-9]+)*[Xx]?");
        private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

        static List<String> findings(String text) {
            List<String> found = new ArrayList<>();
            Matcher m = NUMBER.matcher(text);
            while (m.find()) {
                String digits = m.group().replaceAll("[ -]", "").toUpperCase();
                for (int i = 0; i + 18 <= digits.length(); i++) {
                    if (residentId(digits.substring(i, i + 18))) {
                        found.add("resident id");
                    }
                }
                String plain = digits.endsWith("X") ? digits.substring(0, digits.length() - 1) : digits;
                if (plain.matches("(0086|86)?1[3-9][0-9]{9}")) {
                    found.add("mobile");
                }
                if (plain.length() >= 16 && plain.length() <= 19 && luhn(plain) && !CreditCodes.isValid(plain)) {
                    found.add("bank card");
                }
            }
            return found;
        }

        private static boolean residentId(String s) {
            if (!s.matches("[0-9]{17}[0-9X]")) {
                return false;
            }
            int month = Integer.parseInt(s.substring(10, 12));
            int day = Integer.parseInt(s.substring(12, 14));
            if (month < 1 || month > 12 || day < 1 || day > 31) {
                return false;
            }
            int sum = 0;
            for (int i = 0; i < 17; i++) {
                sum += (s.charAt(i) - '0') * WEIGHTS[i];
            }
            return "10X98765432".charAt(sum % 11) == s.charAt(17);
        }

        private static boolean luhn(String digits) {
            int sum = 0;
            for (int i = 0; i < digits.length(); i++) {
                int d = digits.charAt(digits.length() - 1 - i) - '0';
                sum += i % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
            }
            return sum % 10 == 0;
        }
    }
}
