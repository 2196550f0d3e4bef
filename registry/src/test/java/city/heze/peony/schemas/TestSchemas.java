package city.heze.peony.schemas;

/**
 * Small Avro schemas for registry tests, chosen for the compatibility facts between them (see each
 * constant).
 */
public final class TestSchemas {
    /** A resident with a name only. */
    public static final String RESIDENT_V1 = """
            {"type":"record","name":"Resident","namespace":"city.heze.test","fields":[
              {"name":"name","type":"string"}]}""";

    /** V1 plus an age with a default: backward and forward compatible with V1. */
    public static final String RESIDENT_V2 = """
            {"type":"record","name":"Resident","namespace":"city.heze.test","fields":[
              {"name":"name","type":"string"},
              {"name":"age","type":"int","default":0}]}""";

    /** V2 with the age's default dropped: backward compatible with V2 but not with V1. */
    public static final String RESIDENT_V3 = """
            {"type":"record","name":"Resident","namespace":"city.heze.test","fields":[
              {"name":"name","type":"string"},
              {"name":"age","type":"int"}]}""";

    /** V2 plus an email without default: forward compatible with V2, not backward. */
    public static final String RESIDENT_WITH_EMAIL = """
            {"type":"record","name":"Resident","namespace":"city.heze.test","fields":[
              {"name":"name","type":"string"},
              {"name":"age","type":"int","default":0},
              {"name":"email","type":"string"}]}""";

    /** V2 without the name (which has no default in V2): backward compatible with V2, not forward. */
    public static final String RESIDENT_WITHOUT_NAME = """
            {"type":"record","name":"Resident","namespace":"city.heze.test","fields":[
              {"name":"age","type":"int","default":0}]}""";

    /** An unrelated record. */
    public static final String VEHICLE = """
            {"type":"record","name":"Vehicle","namespace":"city.heze.test","fields":[
              {"name":"plate","type":"string"}]}""";

    private TestSchemas() {}

    /** Another unrelated record per {@code n}, for tests that need many distinct schemas. */
    public static String numbered(int n) {
        return "{\"type\":\"record\",\"name\":\"Numbered" + n + "\",\"namespace\":\"city.heze.test\",\"fields\":["
                + "{\"name\":\"value\",\"type\":\"long\"}]}";
    }
}
