package city.heze.peony.streams.rules;

import city.heze.peony.identifiers.CreditCodes;
import city.heze.peony.identifiers.ResidentIds;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/** Random valid resident IDs and credit codes, built with the generators under test. */
final class IdGenerators {

    /** Heze's ID-card codes and a spread of other plausible ones, including the residence permits. */
    static final List<String> ID_REGIONS = List.of(
            "371702", "371703", "371721", "371722", "371723", "371724", "371725", "371726", "371727", "371728",
            "371700", "372900", "372901", "372922", "372930", "110101", "310115", "340524", "360426", "440305",
            "650102", "810000", "820000", "830000");

    static final List<String> HEZE_ID_REGIONS = ID_REGIONS.subList(0, 15);

    private static final long FIRST_BIRTH = LocalDate.of(1900, 1, 1).toEpochDay();

    private IdGenerators() {}

    static String residentId(Random random) {
        return residentId(random, ID_REGIONS);
    }

    static String hezeResidentId(Random random) {
        return residentId(random, HEZE_ID_REGIONS);
    }

    private static String residentId(Random random, List<String> regions) {
        long lastBirth = RuleFixtures.TODAY.toEpochDay();
        LocalDate birth =
                LocalDate.ofEpochDay(FIRST_BIRTH + (long) (random.nextDouble() * (lastBirth - FIRST_BIRTH + 1)));
        return ResidentIds.generate(regions.get(random.nextInt(regions.size())), birth, random.nextInt(1000));
    }

    static String creditCode(Random random) {
        String[] authorityAndCategory = {"11", "12", "13", "19", "51", "52", "53", "91", "92", "93", "N1", "N2", "Y1"};
        String prefix = authorityAndCategory[random.nextInt(authorityAndCategory.length)];
        String[] divisions = {"371702", "371721", "371700", "370000", "110000", "100000", "440305", "650102"};
        StringBuilder organisation = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            organisation.append(CreditCodes.CHARACTERS.charAt(random.nextInt(CreditCodes.CHARACTERS.length())));
        }
        return CreditCodes.generate(
                prefix.charAt(0),
                prefix.charAt(1),
                divisions[random.nextInt(divisions.length)],
                organisation.toString());
    }
}
