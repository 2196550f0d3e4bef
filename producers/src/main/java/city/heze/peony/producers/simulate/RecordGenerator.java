package city.heze.peony.producers.simulate;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import city.heze.peony.identifiers.CivilDates;
import city.heze.peony.identifiers.CreditCodes;
import city.heze.peony.identifiers.HezeRegion;
import city.heze.peony.identifiers.ResidentIds;
import city.heze.peony.schemas.CatalogKeys;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Generates realistic records of one catalog, driven by the catalog itself: its Avro schema says
 * what each field holds and its field rules say what a valid value is, so every catalog under
 * {@code ops/catalog/} gets records that pass its blocking rules by construction:
 *
 * <ul>
 *   <li>RESIDENT_ID: an ID from {@link ResidentIds#generate} with a Heze division code in use in the
 *       person's birth year (菏泽地区 3729xx before 2000), whose birth date and sex are the record's
 *       own where ID_MATCHES_BIRTH_DATE / ID_MATCHES_SEX link the fields;
 *   <li>CREDIT_CODE: {@link CreditCodes#generate} on a Heze division; REGION_CODE: a current Heze
 *       code (development zones only where the rule allows them); MOBILE: a real mobile prefix;
 *   <li>DATE: a past date on or after {@code notBefore}; RANGE, LENGTH, ENUM respected; REGEX: a
 *       sample of the pattern ({@link PatternSampler}); FORMAT: plate numbers of 鲁R (Heze), VINs with
 *       their check digit, Chinese names, postal codes of 2740xx;
 *   <li>other fields by their name and type: person and company names, addresses, ICD-10 codes.
 * </ul>
 *
 * <p>Everything comes from the caller's {@link Random} and the simulated time it passes, never from
 * the wall clock, so the same seed gives the same records. An instance keeps scratch state per
 * record: use it from one thread.
 */
public final class RecordGenerator {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();
    private static final String ID_CHECK_CHARACTERS = "0123456789X";

    private final CatalogEntry catalog;
    private final Schema schema;
    private final String idPrefix;
    private final FieldPlan[] plans;
    private final PersonPlan[] people;
    private final Map<DefectKind, int[]> defectTargets = new EnumMap<>(DefectKind.class);
    private final List<DefectKind> defectKinds;
    private final List<String> openPlantFields;
    private final Draw draw = new Draw();
    private final List<PostStep> postSteps = new ArrayList<>();

    private RecordGenerator(CatalogEntry catalog, Schema schema) {
        this.catalog = catalog;
        this.schema = schema;
        this.idPrefix = catalog.getResourceCode() + "-";
        String keyField = CatalogKeys.keyField(catalog);
        Map<String, List<FieldRule>> rules = rulesByField(catalog.getFieldRules(), schema);

        // People first: each RESIDENT_ID field is a person, and the fields the ID_MATCHES rules name
        // (or the usual birthDate/sex beside a residentId) take that person's birth date and sex.
        List<PersonPlan> persons = new ArrayList<>();
        Map<String, PersonPlan> byIdField = new LinkedHashMap<>();
        for (Schema.Field field : schema.getFields()) {
            if (has(rules.get(field.name()), RuleKind.RESIDENT_ID)) {
                PersonPlan person = new PersonPlan(persons.size(), field.name(), schema.getName());
                persons.add(person);
                byIdField.put(field.name(), person);
            }
        }
        this.people = persons.toArray(PersonPlan[]::new);
        Map<String, PersonPlan> birthDateOf = new LinkedHashMap<>();
        Map<String, PersonPlan> sexOf = new LinkedHashMap<>();
        for (FieldRule rule : catalog.getFieldRules()) {
            if (rule.getKind() != RuleKind.ID_MATCHES_BIRTH_DATE && rule.getKind() != RuleKind.ID_MATCHES_SEX) {
                continue;
            }
            String idField = rule.getField() != null ? rule.getField() : param(rule, "residentIdField", "residentId");
            PersonPlan person = byIdField.get(idField);
            if (person == null) {
                continue;
            }
            if (rule.getKind() == RuleKind.ID_MATCHES_BIRTH_DATE) {
                birthDateOf.put(param(rule, "birthDateField", "birthDate"), person);
            } else {
                sexOf.put(param(rule, "sexField", "sex"), person);
            }
        }
        PersonPlan resident = byIdField.get("residentId");
        if (resident != null) {
            birthDateOf.putIfAbsent("birthDate", resident);
            sexOf.putIfAbsent("sex", resident);
        }
        for (PersonPlan person : people) {
            person.sexLinked = sexOf.containsValue(person);
        }

        this.plans = new FieldPlan[schema.getFields().size()];
        for (Schema.Field field : schema.getFields()) {
            List<FieldRule> fieldRules = rules.getOrDefault(field.name(), List.of());
            plans[field.pos()] = plan(
                    field,
                    fieldRules,
                    field.name().equals(keyField),
                    byIdField,
                    birthDateOf.get(field.name()),
                    sexOf.get(field.name()));
        }
        for (DefectKind kind : DefectKind.values()) {
            int[] targets = schema.getFields().stream()
                    .filter(f -> !f.name().equals(keyField))
                    .filter(f -> canCarry(kind, f, rules.getOrDefault(f.name(), List.of())))
                    .mapToInt(Schema.Field::pos)
                    .toArray();
            if (targets.length > 0) {
                defectTargets.put(kind, targets);
            }
        }
        this.defectKinds = List.copyOf(defectTargets.keySet());
        this.openPlantFields = openPlantFields(catalog, schema);
        addDomainSteps();
    }

    /** A generator for records of {@code catalog}, with the schema its entry declares. */
    public static RecordGenerator forCatalog(CatalogEntry catalog) {
        return forCatalog(catalog, new Schema.Parser().parse(catalog.getSchema$()));
    }

    /**
     * A generator for records of {@code catalog} built with {@code schema}: pass the registry's
     * instance ({@code DepartmentPublisher.schema(id)}) so the publisher's schema check is free.
     *
     * @throws IllegalArgumentException naming the catalog, rule and field if a rule cannot be
     *     satisfied by generation (a REGEX beyond the sampler, parameters that are not numbers)
     */
    public static RecordGenerator forCatalog(CatalogEntry catalog, Schema schema) {
        try {
            return new RecordGenerator(catalog, schema);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("catalog '" + catalog.getId() + "': " + e.getMessage(), e);
        }
    }

    public CatalogEntry catalog() {
        return catalog;
    }

    public Schema schema() {
        return schema;
    }

    /**
     * The fields of an OPEN catalog where the simulator can plant personal information that must be
     * withheld ({@link OpenPlantKind}): string fields opened as they are (KEEP) that no validation
     * rule checks and that are not the key, free text first (a name with scope, remark, note,
     * description or content). Empty for a catalog that is not OPEN or opens no such field.
     */
    public List<String> openPlantFields() {
        return openPlantFields;
    }

    /**
     * Writes personal information of {@code kind} at the end of the first of {@link
     * #openPlantFields()}, as a clerk adds a contact to a free-text field, and returns that field.
     *
     * @throws IllegalArgumentException if the catalog has no such field
     */
    public String plantOpenWithheld(GenericRecord record, Random random, OpenPlantKind kind) {
        if (openPlantFields.isEmpty()) {
            throw new IllegalArgumentException(
                    "catalog '" + catalog.getId() + "' opens no free-text field to plant personal information in");
        }
        String field = openPlantFields.get(0);
        Object before = record.get(field);
        String personal = switch (kind) {
            case MOBILE_IN_TEXT -> "，联系电话" + CityVocabulary.mobile(random);
            case RESIDENT_ID_IN_TEXT ->
                "，经办人身份证号"
                        + ResidentIds.generate(
                                "371702",
                                LocalDate.of(1960 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28)),
                                random.nextInt(1000));
        };
        record.put(field, (before == null ? "" : before.toString()) + personal);
        return field;
    }

    private static List<String> openPlantFields(CatalogEntry catalog, Schema schema) {
        if (catalog.getOpenType() != OpenType.OPEN || catalog.getOpenFields() == null) {
            return List.of();
        }
        Set<String> ruled = new HashSet<>();
        catalog.getFieldRules().forEach(r -> ruled.add(r.getField()));
        List<String> free = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (OpenField f : catalog.getOpenFields()) {
            String name = f.getField();
            Schema.Field field = schema.getField(name);
            if (f.getTreatment() != OpenTreatment.KEEP
                    || field == null
                    || ruled.contains(name)
                    || name.equals(CatalogKeys.keyField(catalog.getKeyField()))
                    || !isString(field.schema())) {
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            boolean freeText = Stream.of("scope", "remark", "note", "description", "content")
                    .anyMatch(lower::contains);
            (freeText ? free : other).add(name);
        }
        free.addAll(other);
        return List.copyOf(free);
    }

    private static boolean isString(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            return s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.STRING)
                    && s.getTypes().stream()
                            .allMatch(t -> t.getType() == Schema.Type.STRING || t.getType() == Schema.Type.NULL);
        }
        return s.getType() == Schema.Type.STRING;
    }

    /** The defects this catalog's blocking rules can catch, in {@link DefectKind} order. */
    public List<DefectKind> defectKinds() {
        return defectKinds;
    }

    /** A valid record at simulated time {@code nowMillis}. */
    public GenericRecord nextRecord(Random random, long nowMillis) {
        return build(random, nowMillis);
    }

    /**
     * A record at simulated time {@code nowMillis}, valid when {@code defect} is null, else carrying
     * that defect on one of the fields its rule checks.
     *
     * @throws IllegalArgumentException if the catalog has no blocking rule that catches {@code defect}
     */
    public GeneratedRecord next(Random random, long nowMillis, DefectKind defect) {
        GenericData.Record record = build(random, nowMillis);
        if (defect == null) {
            return new GeneratedRecord(catalog.getId(), record, null, null);
        }
        int[] targets = defectTargets.get(defect);
        if (targets == null) {
            throw new IllegalArgumentException("catalog '" + catalog.getId() + "' has no blocking " + defect.rule()
                    + " rule to catch a " + defect.label() + " defect; it can carry " + defectKinds);
        }
        int position = targets[targets.length == 1 ? 0 : random.nextInt(targets.length)];
        plant(defect, record, position);
        return new GeneratedRecord(
                catalog.getId(),
                record,
                defect,
                schema.getFields().get(position).name());
    }

    private GenericData.Record build(Random random, long nowMillis) {
        Draw d = draw;
        d.random = random;
        d.now = nowMillis;
        d.today = CivilDates.epochDayInCity(nowMillis);
        for (PersonPlan person : people) {
            d.persons[person.index] = person.draw(random, d.today);
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (int i = 0; i < plans.length; i++) {
            record.put(i, plans[i].generate(d));
        }
        for (PostStep step : postSteps) {
            step.apply(record, d);
        }
        return record;
    }

    // ---------------------------------------------------------------- defects

    private static boolean canCarry(DefectKind kind, Schema.Field field, List<FieldRule> rules) {
        for (FieldRule rule : rules) {
            if (rule.getSeverity() != Severity.BLOCKING || rule.getKind() != kind.rule()) {
                continue;
            }
            Schema value = valueSchema(field.schema());
            switch (kind) {
                case MISSING_REQUIRED:
                    if (value.getType() == Schema.Type.STRING
                            || value.getType() == Schema.Type.ARRAY
                            || value.getType() == Schema.Type.MAP
                            || isNullable(field.schema())) {
                        return true;
                    }
                    break;
                case FUTURE_DATE:
                    if (!"true".equals(param(rule, "allowFuture", "false")) && DateShape.of(value) != null) {
                        return true;
                    }
                    break;
                default:
                    if (value.getType() == Schema.Type.STRING) {
                        return true;
                    }
            }
        }
        return false;
    }

    private void plant(DefectKind defect, GenericData.Record record, int position) {
        Random random = draw.random;
        Schema.Field field = schema.getFields().get(position);
        Object value = record.get(position);
        if (value == null && defect != DefectKind.MISSING_REQUIRED) {
            value = plans[position].core.generate(draw); // an optional field left empty: give it a value to spoil
        }
        switch (defect) {
            case BAD_RESIDENT_ID -> {
                String id = value.toString();
                char wrong = otherThan(random, ID_CHECK_CHARACTERS, id.charAt(17));
                record.put(position, id.substring(0, 17) + wrong);
            }
            case BAD_CREDIT_CODE -> {
                String code = value.toString();
                char wrong = otherThan(random, "0123456789", code.charAt(16));
                record.put(position, code.substring(0, 16) + wrong + code.charAt(17));
            }
            case MISSING_REQUIRED -> {
                Schema type = valueSchema(field.schema());
                if (type.getType() == Schema.Type.STRING) {
                    record.put(position, "");
                } else if (isNullable(field.schema())) {
                    record.put(position, null);
                } else if (type.getType() == Schema.Type.ARRAY) {
                    record.put(position, new GenericData.Array<>(0, type));
                } else {
                    record.put(position, new LinkedHashMap<String, Object>());
                }
            }
            case FUTURE_DATE -> {
                // Decades ahead: in the future of any clock that will judge it, yet still a real date.
                long day = draw.today + 365L * (50 + random.nextInt(30)) + random.nextInt(365);
                record.put(position, DateShape.of(valueSchema(field.schema())).encode(day, 12 * 3_600_000L));
            }
            case REGION_OUTSIDE_HEZE -> record.put(position, CityVocabulary.pick(random, CityVocabulary.OUTSIDE_HEZE));
        }
    }

    private static char otherThan(Random random, String characters, char current) {
        char c;
        do {
            c = characters.charAt(random.nextInt(characters.length()));
        } while (c == current);
        return c;
    }

    // ---------------------------------------------------------------- plans

    /** The state of the record being drawn, shared by the field plans. */
    private static final class Draw {
        Random random;
        long now;
        long today;
        Person[] persons = new Person[8];
    }

    private interface ValuePlan {
        Object generate(Draw d);
    }

    private interface PostStep {
        void apply(GenericData.Record record, Draw d);
    }

    /** A field's plan: its value, left null at some rate when the field is optional and may be. */
    private static final class FieldPlan {
        final ValuePlan core;
        final double nullRate;

        FieldPlan(ValuePlan core, double nullRate) {
            this.core = core;
            this.nullRate = nullRate;
        }

        Object generate(Draw d) {
            if (nullRate > 0 && d.random.nextDouble() < nullRate) {
                return null;
            }
            return core.generate(d);
        }
    }

    /** A person drawn for a record: who a resident ID belongs to. */
    private record Person(String id, long birthDay, boolean male) {}

    /** How the person behind one RESIDENT_ID field is drawn: age range and sex by the field's meaning. */
    private static final class PersonPlan {
        final int index;
        final int minAge;
        final int maxAge;
        final Boolean sex;
        boolean sexLinked;

        PersonPlan(int index, String field, String recordName) {
            this.index = index;
            String f = field.toLowerCase(Locale.ROOT);
            String r = recordName.toLowerCase(Locale.ROOT);
            if (f.contains("mother")) {
                minAge = 20;
                maxAge = 42;
                sex = Boolean.FALSE;
            } else if (f.contains("father")) {
                minAge = 22;
                maxAge = 48;
                sex = Boolean.TRUE;
            } else if (r.contains("pension")) {
                minAge = 60;
                maxAge = 95;
                sex = null;
            } else if (r.contains("death")) {
                minAge = 45;
                maxAge = 100;
                sex = null;
            } else if (r.contains("marriage")) {
                minAge = 22;
                maxAge = 50;
                sex = null;
            } else {
                minAge = 18;
                maxAge = 85;
                sex = null;
            }
        }

        Person draw(Random random, long today) {
            boolean male = sex != null ? sex : random.nextBoolean();
            long ageDays = (long) ((minAge + random.nextDouble() * (maxAge - minAge)) * 365.25);
            long birthDay = today - ageDays;
            LocalDate birth = LocalDate.ofEpochDay(birthDay);
            String region = idRegion(random, birth.getYear());
            // Sequences below POPULATION_SEQUENCES only: the linked population owns the rest, so random
            // records can never name one of its people and add a fact nobody planted.
            int sequence = random.nextInt(POPULATION_SEQUENCES / 2) * 2 + (male ? 1 : 0);
            return new Person(ResidentIds.generate(region, birth, sequence), birthDay, male);
        }
    }

    /**
     * The first sequence number (positions 15-17 of a resident ID) of the {@link LinkedPopulation}'s
     * people: random records draw 000-799, the population 800-999, so the two never share a person.
     */
    static final int POPULATION_SEQUENCES = 800;

    /**
     * The first character of the organisation code (position 9 of a credit code) that only the
     * {@link LinkedPopulation}'s businesses use: a random deregistration can never close one of them.
     */
    static final char POPULATION_ORGANISATION_MARK = '9';

    /** The division a person born in {@code year} was registered in: the code in use that year. */
    static String idRegion(Random random, int year) {
        List<HezeRegion> inUse = year < 2000 ? CityVocabulary.OLD_PREFECTURE : CURRENT_COUNTIES;
        HezeRegion region = CityVocabulary.pick(random, inUse);
        if (year < 2016 && region.code().equals("371703")) {
            return "371727"; // 定陶 was a county (定陶县) until 2016
        }
        return region.code();
    }

    /** Heze's current county-level divisions, the city-level code 371700 excluded. */
    static final List<HezeRegion> CURRENT_COUNTIES = CityVocabulary.DIVISIONS.stream()
            .filter(r -> !r.code().equals("371700"))
            .toList();

    private FieldPlan plan(
            Schema.Field field,
            List<FieldRule> rules,
            boolean isKey,
            Map<String, PersonPlan> byIdField,
            PersonPlan birthOf,
            PersonPlan sexOf) {
        Schema type = valueSchema(field.schema());
        boolean nullable = isNullable(field.schema());
        String name = field.name().toLowerCase(Locale.ROOT);
        ValuePlan core;
        if (isKey) {
            core = keyPlan(type);
        } else if (birthOf != null && DateShape.of(type) != null) {
            DateShape shape = DateShape.of(type);
            int person = birthOf.index;
            core = d -> shape.encode(d.persons[person].birthDay(), 0);
        } else if (sexOf != null && (type.getType() == Schema.Type.ENUM || type.getType() == Schema.Type.STRING)) {
            core = sexPlan(type, sexOf.index);
        } else if (has(rules, RuleKind.RESIDENT_ID) && byIdField.containsKey(field.name())) {
            int person = byIdField.get(field.name()).index;
            core = d -> d.persons[person].id();
        } else if (has(rules, RuleKind.CREDIT_CODE)) {
            core = creditCodePlan(name);
        } else if (has(rules, RuleKind.REGION_CODE)) {
            boolean zones = "true".equals(param(rule(rules, RuleKind.REGION_CODE), "allowDevelopmentZones", "false"));
            core = d -> zones && d.random.nextInt(10) == 0
                    ? CityVocabulary.pick(d.random, CityVocabulary.ZONES).code()
                    : CityVocabulary.pick(d.random, CityVocabulary.DIVISIONS).code();
        } else if (has(rules, RuleKind.MOBILE)) {
            core = d -> CityVocabulary.mobile(d.random);
        } else if (has(rules, RuleKind.FORMAT)) {
            core = formatPlan(param(rule(rules, RuleKind.FORMAT), "format", ""));
        } else if (has(rules, RuleKind.REGEX)) {
            PatternSampler sampler = PatternSampler.of(param(rule(rules, RuleKind.REGEX), "pattern", ""));
            core = d -> sampler.sample(d.random);
        } else if (has(rules, RuleKind.ENUM)) {
            core = symbolsPlan(type, param(rule(rules, RuleKind.ENUM), "symbols", ""));
        } else if (has(rules, RuleKind.DATE) && DateShape.of(type) != null) {
            core = datePlan(type, name, rule(rules, RuleKind.DATE));
        } else if (has(rules, RuleKind.RANGE)) {
            FieldRule range = rule(rules, RuleKind.RANGE);
            core = numberPlan(type, name, decimal(range, "min"), decimal(range, "max"));
        } else {
            core = typePlan(type, name);
        }
        FieldRule length = rule(rules, RuleKind.LENGTH);
        if (length != null && type.getType() == Schema.Type.STRING) {
            core = fitLength(core, count(length, "min", 0), count(length, "max", Integer.MAX_VALUE));
        }
        double nullRate = 0;
        if (nullable && !has(rules, RuleKind.REQUIRED)) {
            nullRate = rules.isEmpty() ? 0.3 : 0.1;
        }
        return new FieldPlan(core, nullRate);
    }

    private ValuePlan keyPlan(Schema type) {
        if (type.getType() == Schema.Type.LONG) {
            return d -> d.random.nextLong() & Long.MAX_VALUE;
        }
        if (type.getType() == Schema.Type.INT) {
            return d -> d.random.nextInt(Integer.MAX_VALUE);
        }
        String prefix = idPrefix;
        // 48 random bits: unique among the records of any realistic run, and repeatable from the seed.
        return d -> {
            String hex = Long.toHexString(d.random.nextLong() & 0xFFFF_FFFF_FFFFL);
            return prefix + "000000000000".substring(hex.length()) + hex;
        };
    }

    private static ValuePlan sexPlan(Schema type, int person) {
        if (type.getType() == Schema.Type.ENUM) {
            GenericData.EnumSymbol male = new GenericData.EnumSymbol(type, "MALE");
            GenericData.EnumSymbol female = new GenericData.EnumSymbol(type, "FEMALE");
            if (!type.hasEnumSymbol("MALE") || !type.hasEnumSymbol("FEMALE")) {
                return enumPlan(type);
            }
            return d -> d.persons[person].male() ? male : female;
        }
        return d -> d.persons[person].male() ? "男" : "女";
    }

    private static ValuePlan creditCodePlan(String name) {
        boolean institution = name.contains("hospital") || name.contains("institution");
        return d -> {
            Random random = d.random;
            char authority = institution ? '1' : '9';
            char category = institution ? '2' : random.nextInt(10) == 0 ? '2' : '1';
            String division =
                    CityVocabulary.pick(random, CityVocabulary.DIVISIONS).code();
            StringBuilder organisation = new StringBuilder(8);
            for (int i = 0; i < 8; i++) {
                // Mostly digits, as most codes are; letters from the code's set now and then.
                // The first never the population's mark (digits 0-8 only), so the draws stay as many.
                organisation.append(
                        random.nextInt(8) == 0
                                ? CreditCodes.CHARACTERS.charAt(
                                        10 + random.nextInt(CreditCodes.CHARACTERS.length() - 10))
                                : (char) ('0' + random.nextInt(i == 0 ? 9 : 10)));
            }
            return CreditCodes.generate(authority, category, division, organisation.toString());
        };
    }

    private static final String PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String VIN_CHARACTERS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
    private static final int[] VIN_WEIGHTS = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    private static final String VIN_LETTER_VALUES = "12345678-12345-7-923456789";
    private static final String[] VIN_MAKERS = {"LSV", "LFV", "LGW", "LBV", "LVS", "LSG", "LGX", "LNB"};

    private static ValuePlan formatPlan(String format) {
        return switch (format) {
            case "plate-number" -> d -> ordinaryPlate(d.random);
            case "vin", "vin-check-digit" -> d -> vin(d.random);
            case "digits" -> d -> digits(d.random, 8);
            case "postal-code" -> d -> "2740" + digits(d.random, 2);
            case "chinese-name" -> d -> CityVocabulary.personName(d.random, d.random.nextBoolean());
            default -> throw new IllegalArgumentException("FORMAT '" + format + "' is unknown to the simulator");
        };
    }

    /** 鲁R (Heze) and five characters, at most two of them letters. */
    private static String ordinaryPlate(Random random) {
        StringBuilder plate = new StringBuilder("鲁R");
        int letters = random.nextInt(3);
        for (int i = 0; i < 5; i++) {
            boolean letter = i < letters && random.nextBoolean();
            plate.append(
                    letter
                            ? PLATE_LETTERS.charAt(random.nextInt(PLATE_LETTERS.length()))
                            : (char) ('0' + random.nextInt(10)));
        }
        return plate.toString();
    }

    /** A small new-energy plate: 鲁R, D (electric) or F (hybrid), a letter or digit, four digits. */
    private static String newEnergyPlate(Random random) {
        return "鲁R" + (random.nextBoolean() ? 'D' : 'F') + PLATE_LETTERS.charAt(random.nextInt(PLATE_LETTERS.length()))
                + digits(random, 4);
    }

    /** A VIN of a Chinese maker with its GB 16735 check digit, so both VIN formats accept it. */
    private static String vin(Random random) {
        char[] vin = new char[17];
        String maker = CityVocabulary.pick(random, VIN_MAKERS);
        maker.getChars(0, 3, vin, 0);
        for (int i = 3; i < 17; i++) {
            vin[i] = i >= 11
                    ? (char) ('0' + random.nextInt(10))
                    : VIN_CHARACTERS.charAt(random.nextInt(VIN_CHARACTERS.length()));
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            if (i != 8) {
                char c = vin[i];
                int value = c <= '9' ? c - '0' : VIN_LETTER_VALUES.charAt(c - 'A') - '0';
                sum += value * VIN_WEIGHTS[i];
            }
        }
        int check = sum % 11;
        vin[8] = check == 10 ? 'X' : (char) ('0' + check);
        return new String(vin);
    }

    private static String digits(Random random, int count) {
        char[] out = new char[count];
        for (int i = 0; i < count; i++) {
            out[i] = (char) ('0' + random.nextInt(10));
        }
        return new String(out);
    }

    private static ValuePlan symbolsPlan(Schema type, String symbols) {
        List<String> allowed = new ArrayList<>();
        for (String s : symbols.split(",")) {
            if (!s.isBlank()) {
                allowed.add(s.trim());
            }
        }
        if (type.getType() == Schema.Type.ENUM) {
            GenericData.EnumSymbol[] values = allowed.stream()
                    .map(s -> new GenericData.EnumSymbol(type, s))
                    .toArray(GenericData.EnumSymbol[]::new);
            return d -> values[d.random.nextInt(values.length)];
        }
        String[] values = allowed.toArray(String[]::new);
        return d -> values[d.random.nextInt(values.length)];
    }

    private static ValuePlan enumPlan(Schema type) {
        List<String> symbols =
                type.getEnumSymbols().stream().filter(s -> !s.equals("UNKNOWN")).toList();
        List<String> chosen = symbols.isEmpty() ? type.getEnumSymbols() : symbols;
        GenericData.EnumSymbol[] values =
                chosen.stream().map(s -> new GenericData.EnumSymbol(type, s)).toArray(GenericData.EnumSymbol[]::new);
        return d -> values[d.random.nextInt(values.length)];
    }

    /** A DATE-ruled field: a past day on or after {@code notBefore} (and notAfter), recent for events. */
    private static ValuePlan datePlan(Schema type, String name, FieldRule rule) {
        DateShape shape = DateShape.of(type);
        long notBefore = dateParam(rule, "notBefore", LocalDate.of(1900, 1, 1).toEpochDay());
        long notAfter = dateParam(rule, "notAfter", Long.MAX_VALUE);
        boolean instant = shape.isInstant();
        int spanDays = instant ? 30 : recentEvent(name) ? 365 : 15 * 365;
        return d -> {
            long hi = Math.min(d.today, notAfter);
            long lo = Math.max(notBefore, hi - spanDays);
            if (lo > hi) {
                lo = hi;
            }
            if (instant) {
                long from = Math.max(lo * MILLIS_PER_DAY - 8 * 3_600_000L, d.now - spanDays * MILLIS_PER_DAY);
                long to = Math.min(d.now, (hi + 1) * MILLIS_PER_DAY - 8 * 3_600_000L - 1);
                long at = to <= from ? to : from + (long) (d.random.nextDouble() * (to - from));
                return shape.encodeInstant(at);
            }
            long day = lo + (long) (d.random.nextDouble() * (hi - lo + 1));
            return shape.encode(Math.min(day, hi), 0);
        };
    }

    private static boolean recentEvent(String name) {
        return name.contains("death") || name.contains("effective") || name.contains("settled") || name.contains("end");
    }

    /** Typical magnitudes by field name, so that a RANGE of 0..1,000,000 fen still gives plausible amounts. */
    private static double[] typical(String name) {
        if (name.contains("weight")) {
            return new double[] {2500, 4300};
        }
        if (name.contains("household") || name.endsWith("size")) {
            return new double[] {1, 6};
        }
        if (name.contains("pension")) {
            return new double[] {120_000, 600_000};
        }
        if (name.contains("amountfen")) {
            return new double[] {30_000, 150_000};
        }
        if (name.contains("capital")) {
            return new double[] {10, 5_000};
        }
        if (name.contains("total") || name.contains("paid")) {
            return new double[] {50, 20_000};
        }
        if (name.contains("displacement")) {
            return new double[] {1.0, 3.0};
        }
        if (name.contains("revenue")) {
            return new double[] {100_000, 50_000_000};
        }
        return null;
    }

    private static ValuePlan numberPlan(Schema type, String name, BigDecimal min, BigDecimal max) {
        double lo = min == null ? 0 : min.doubleValue();
        double hi = max == null ? Math.max(lo, 0) + 1_000_000 : max.doubleValue();
        double[] typical = typical(name);
        if (typical != null && typical[0] <= hi && typical[1] >= lo) {
            lo = Math.max(lo, typical[0]);
            hi = Math.min(hi, typical[1]);
        }
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            BigDecimal top = BigDecimal.TEN
                    .pow(decimal.getPrecision() - decimal.getScale())
                    .subtract(BigDecimal.ONE.movePointLeft(decimal.getScale()));
            hi = Math.min(hi, top.doubleValue());
            lo = Math.max(lo, top.negate().doubleValue());
        }
        double from = lo;
        double to = hi;
        // Wide ranges of positive amounts are log-uniform: most amounts are small, a few are large.
        boolean logScale = from > 0 && to / from > 1000;
        ValuePlan draw = d -> logScale
                ? Math.exp(Math.log(from) + d.random.nextDouble() * (Math.log(to) - Math.log(from)))
                : from + d.random.nextDouble() * (to - from);
        BigDecimal minBound = min;
        BigDecimal maxBound = max;
        return switch (type.getType()) {
            case INT -> d -> (int) clampWhole((double) draw.generate(d), from, to);
            case LONG -> d -> clampWhole((double) draw.generate(d), from, to);
            case FLOAT -> d -> (float) round2((double) draw.generate(d), from, to);
            case DOUBLE -> d -> round2((double) draw.generate(d), from, to);
            case BYTES, FIXED -> {
                if (!(logical instanceof LogicalTypes.Decimal decimal)) {
                    throw new IllegalArgumentException(
                            "a RANGE on " + type.getType().getName() + " without decimal");
                }
                yield d -> {
                    BigDecimal value = BigDecimal.valueOf((double) draw.generate(d))
                            .setScale(decimal.getScale(), RoundingMode.HALF_UP);
                    if (minBound != null && value.compareTo(minBound) < 0) {
                        value = minBound.setScale(decimal.getScale(), RoundingMode.CEILING);
                    }
                    if (maxBound != null && value.compareTo(maxBound) > 0) {
                        value = maxBound.setScale(decimal.getScale(), RoundingMode.FLOOR);
                    }
                    return encodeDecimal(type, decimal, value);
                };
            }
            default ->
                throw new IllegalArgumentException(
                        "a RANGE on a " + type.getType().getName() + " field");
        };
    }

    private static long clampWhole(double value, double lo, double hi) {
        long v = Math.round(value);
        long min = (long) Math.ceil(lo);
        long max = (long) Math.floor(hi);
        return Math.max(min, Math.min(max, v));
    }

    private static double round2(double value, double lo, double hi) {
        double v = Math.round(value * 100) / 100.0;
        return Math.max(lo, Math.min(hi, v));
    }

    private static Object encodeDecimal(Schema type, LogicalTypes.Decimal decimal, BigDecimal value) {
        return type.getType() == Schema.Type.FIXED
                ? DECIMALS.toFixed(value, type, decimal)
                : DECIMALS.toBytes(value, type, decimal);
    }

    /** A field without rules: its value from its type, and from its name where the name tells more. */
    private ValuePlan typePlan(Schema type, String name) {
        DateShape shape = DateShape.of(type);
        if (shape != null && shape != DateShape.ISO_TEXT) { // text is a date only where a rule says so
            if (shape.isInstant()) {
                return d -> shape.encodeInstant(d.now - (long) (d.random.nextDouble() * 6 * 3_600_000L));
            }
            int span = recentEvent(name) ? 365 : 10 * 365;
            return d -> shape.encode(d.today - d.random.nextInt(span), 0);
        }
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal) {
            return numberPlan(type, name, BigDecimal.ZERO, null);
        }
        switch (type.getType()) {
            case NULL:
                return d -> null;
            case BOOLEAN: {
                double rate = name.contains("newenergy") || name.contains("inpatient")
                        ? 0.2
                        : name.contains("head") ? 0.4 : 0.5;
                return d -> d.random.nextDouble() < rate;
            }
            case INT:
                if (logical != null && logical.getName().equals("time-millis")) {
                    return d -> d.random.nextInt(86_400_000);
                }
                return numberPlan(type, name, BigDecimal.ZERO, typical(name) == null ? BigDecimal.valueOf(100) : null);
            case LONG:
                if (logical != null && logical.getName().equals("time-micros")) {
                    return d -> (long) (d.random.nextDouble() * 86_400_000_000L);
                }
                return numberPlan(type, name, BigDecimal.ZERO, null);
            case FLOAT:
            case DOUBLE:
                return numberPlan(type, name, BigDecimal.ZERO, typical(name) == null ? BigDecimal.valueOf(1000) : null);
            case STRING:
                if (logical != null && logical.getName().equals("uuid")) {
                    return d -> uuid(d.random).toString();
                }
                return stringPlan(name);
            case BYTES:
                return d -> ByteBuffer.wrap(bytes(d.random, 8 + d.random.nextInt(9)));
            case FIXED:
                if (logical != null && logical.getName().equals("uuid")) {
                    return d -> {
                        UUID u = uuid(d.random);
                        return new GenericData.Fixed(
                                type,
                                ByteBuffer.allocate(16)
                                        .putLong(u.getMostSignificantBits())
                                        .putLong(u.getLeastSignificantBits())
                                        .array());
                    };
                }
                return d -> new GenericData.Fixed(type, bytes(d.random, type.getFixedSize()));
            case ENUM:
                return enumPlan(type);
            case ARRAY: {
                Schema items = type.getElementType();
                ValuePlan item = name.contains("diagnos") && items.getType() == Schema.Type.STRING
                        ? d -> CityVocabulary.icd10(d.random)
                        : typePlan(valueSchema(items), name);
                int min = name.contains("diagnos") ? 1 : 0;
                return d -> {
                    int n = min + d.random.nextInt(3);
                    GenericData.Array<Object> array = new GenericData.Array<>(n, type);
                    for (int i = 0; i < n; i++) {
                        array.add(item.generate(d));
                    }
                    return array;
                };
            }
            case MAP: {
                ValuePlan value = typePlan(valueSchema(type.getValueType()), name);
                return d -> {
                    int n = d.random.nextInt(3);
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        map.put("k" + (i + 1), value.generate(d));
                    }
                    return map;
                };
            }
            case RECORD: {
                List<Schema.Field> fields = type.getFields();
                ValuePlan[] inner = new ValuePlan[fields.size()];
                for (Schema.Field f : fields) {
                    ValuePlan p = typePlan(valueSchema(f.schema()), f.name().toLowerCase(Locale.ROOT));
                    inner[f.pos()] = isNullable(f.schema()) ? new FieldPlan(p, 0.3)::generate : p;
                }
                return d -> {
                    GenericData.Record nested = new GenericData.Record(type);
                    for (int i = 0; i < inner.length; i++) {
                        nested.put(i, inner[i].generate(d));
                    }
                    return nested;
                };
            }
            default:
                throw new IllegalArgumentException(
                        "cannot generate a " + type.getType().getName());
        }
    }

    private static ValuePlan stringPlan(String name) {
        if (name.contains("entity")
                || name.contains("taxpayer")
                || name.contains("employer")
                || name.contains("company")
                || name.contains("hospital")
                || name.contains("institution")) {
            return d -> CityVocabulary.companyName(d.random);
        }
        if (name.contains("name") || name.contains("representative") || name.contains("owner")) {
            return d -> CityVocabulary.personName(d.random, d.random.nextBoolean());
        }
        if (name.contains("address")) {
            return d -> CityVocabulary.address(d.random);
        }
        if (name.contains("scope")) {
            return d -> CityVocabulary.businessScope(d.random);
        }
        if (name.contains("cause") || name.contains("diagnos") || name.contains("icd")) {
            return d -> CityVocabulary.icd10(d.random);
        }
        if (name.contains("reason")) {
            return d -> CityVocabulary.reason(d.random);
        }
        if (name.contains("purpose")) {
            return d -> CityVocabulary.purpose(d.random);
        }
        if (name.contains("phone") || name.contains("mobile")) {
            return d -> CityVocabulary.mobile(d.random);
        }
        if (name.contains("creditcode")) {
            return creditCodePlan(name);
        }
        if (name.contains("region") || name.contains("division")) {
            return d -> CityVocabulary.pick(d.random, CityVocabulary.DIVISIONS).code();
        }
        if (name.contains("certificate") || name.endsWith("no") || name.endsWith("number")) {
            return d -> (char) ('A' + d.random.nextInt(26)) + digits(d.random, 9);
        }
        return d -> CityVocabulary.word(d.random);
    }

    private static ValuePlan fitLength(ValuePlan plan, int min, int max) {
        return d -> {
            Object value = plan.generate(d);
            if (!(value instanceof String text)) {
                return value;
            }
            int length = text.codePointCount(0, text.length());
            if (length > max) {
                return text.substring(0, text.offsetByCodePoints(0, max));
            }
            if (length < min) {
                return text + "号".repeat(min - length);
            }
            return text;
        };
    }

    /** Ties fields together where a domain fact says so (a new-energy car has its own plate; amounts add up). */
    private void addDomainSteps() {
        Schema.Field newEnergy = schema.getField("newEnergy");
        Schema.Field plate = schema.getField("plateNumber");
        Schema.Field displacement = schema.getField("engineDisplacementLitres");
        if (newEnergy != null
                && plate != null
                && valueSchema(newEnergy.schema()).getType() == Schema.Type.BOOLEAN) {
            postSteps.add((record, d) -> {
                if (Boolean.TRUE.equals(record.get(newEnergy.pos()))) {
                    record.put(plate.pos(), newEnergyPlate(d.random));
                    if (displacement != null && isNullable(displacement.schema())) {
                        record.put(displacement.pos(), null);
                    }
                }
            });
        }
        Schema.Field total = schema.getField("totalAmount");
        Schema.Field fund = schema.getField("fundPaid");
        Schema.Field self = schema.getField("selfPaid");
        if (total != null && fund != null && self != null) {
            Schema t = valueSchema(total.schema());
            Schema f = valueSchema(fund.schema());
            Schema s = valueSchema(self.schema());
            if (t.getLogicalType() instanceof LogicalTypes.Decimal dt
                    && f.getLogicalType() instanceof LogicalTypes.Decimal df
                    && s.getLogicalType() instanceof LogicalTypes.Decimal ds
                    && t.getType() == Schema.Type.BYTES
                    && f.getType() == Schema.Type.BYTES
                    && s.getType() == Schema.Type.BYTES) {
                postSteps.add((record, d) -> {
                    BigDecimal sum = DECIMALS.fromBytes(((ByteBuffer) record.get(total.pos())).duplicate(), t, dt);
                    BigDecimal fundShare = sum.multiply(BigDecimal.valueOf(0.3 + 0.6 * d.random.nextDouble()))
                            .setScale(df.getScale(), RoundingMode.HALF_UP);
                    BigDecimal rest = sum.subtract(fundShare).setScale(ds.getScale(), RoundingMode.HALF_UP);
                    record.put(fund.pos(), DECIMALS.toBytes(fundShare, f, df));
                    record.put(self.pos(), DECIMALS.toBytes(rest, s, ds));
                });
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static UUID uuid(Random random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    private static Map<String, List<FieldRule>> rulesByField(Collection<FieldRule> rules, Schema schema) {
        Map<String, List<FieldRule>> byField = new LinkedHashMap<>();
        for (FieldRule rule : rules) {
            if (rule.getField() != null && schema.getField(rule.getField()) != null) {
                byField.computeIfAbsent(rule.getField(), f -> new ArrayList<>()).add(rule);
            }
        }
        return byField;
    }

    private static boolean has(List<FieldRule> rules, RuleKind kind) {
        return rule(rules, kind) != null;
    }

    private static FieldRule rule(List<FieldRule> rules, RuleKind kind) {
        if (rules != null) {
            for (FieldRule rule : rules) {
                if (rule.getKind() == kind) {
                    return rule;
                }
            }
        }
        return null;
    }

    private static String param(FieldRule rule, String name, String absent) {
        if (rule == null || rule.getParameters() == null) {
            return absent;
        }
        String value = rule.getParameters().get(name);
        return value == null || value.isBlank() ? absent : value.trim();
    }

    private static BigDecimal decimal(FieldRule rule, String name) {
        String value = param(rule, name, null);
        try {
            return value == null ? null : new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "rule '" + rule.getRuleId() + "' parameter " + name + " '" + value + "' is not a number");
        }
    }

    private static int count(FieldRule rule, String name, int absent) {
        String value = param(rule, name, null);
        try {
            return value == null ? absent : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "rule '" + rule.getRuleId() + "' parameter " + name + " '" + value + "' is not a whole number");
        }
    }

    private static long dateParam(FieldRule rule, String name, long absent) {
        String value = param(rule, name, null);
        if (value == null) {
            return absent;
        }
        long day = CivilDates.parseIsoDate(value);
        if (day == CivilDates.NOT_A_DATE) {
            throw new IllegalArgumentException(
                    "rule '" + rule.getRuleId() + "' parameter " + name + " '" + value + "' is not a date yyyy-MM-dd");
        }
        return day;
    }

    static boolean isNullable(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema.getType() == Schema.Type.NULL;
        }
        return schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    /** The type a field holds: itself, or the first non-null branch of a union. */
    static Schema valueSchema(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        return schema.getTypes().get(0);
    }

    /** How a field holds a day or an instant. */
    enum DateShape {
        EPOCH_DAY,
        MILLIS,
        MICROS,
        LOCAL_MILLIS,
        LOCAL_MICROS,
        ISO_TEXT;

        static DateShape of(Schema type) {
            LogicalType logical = type.getLogicalType();
            String name = logical == null ? "" : logical.getName();
            return switch (type.getType()) {
                case INT -> name.equals("date") ? EPOCH_DAY : null;
                case LONG ->
                    switch (name) {
                        case "timestamp-millis" -> MILLIS;
                        case "timestamp-micros" -> MICROS;
                        case "local-timestamp-millis" -> LOCAL_MILLIS;
                        case "local-timestamp-micros" -> LOCAL_MICROS;
                        default -> null;
                    };
                case STRING -> logical == null ? ISO_TEXT : null;
                default -> null;
            };
        }

        boolean isInstant() {
            return this != EPOCH_DAY && this != ISO_TEXT;
        }

        /** A day of the city's calendar, at {@code millisOfDay} city time for the instant shapes. */
        Object encode(long epochDay, long millisOfDay) {
            long cityMillis = epochDay * MILLIS_PER_DAY + millisOfDay;
            long utcMillis = cityMillis - 8 * 3_600_000L; // Asia/Shanghai has kept +08:00 since 1991
            return switch (this) {
                case EPOCH_DAY -> (int) epochDay;
                case ISO_TEXT -> LocalDate.ofEpochDay(epochDay).toString();
                case MILLIS -> utcMillis;
                case MICROS -> utcMillis * 1000;
                case LOCAL_MILLIS -> cityMillis;
                case LOCAL_MICROS -> cityMillis * 1000;
            };
        }

        Object encodeInstant(long utcMillis) {
            return switch (this) {
                case MILLIS -> utcMillis;
                case MICROS -> utcMillis * 1000;
                case LOCAL_MILLIS -> utcMillis + 8 * 3_600_000L;
                case LOCAL_MICROS -> (utcMillis + 8 * 3_600_000L) * 1000;
                case EPOCH_DAY -> (int) CivilDates.epochDayInCity(utcMillis);
                case ISO_TEXT ->
                    LocalDate.ofEpochDay(CivilDates.epochDayInCity(utcMillis)).toString();
            };
        }
    }
}
