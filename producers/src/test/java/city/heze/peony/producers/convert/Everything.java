package city.heze.peony.producers.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * The test schema with a field of every Avro type ({@code convert/everything.avsc}), one good row of
 * it in JSON and in CSV, and the assertions that the converted record holds exactly those values.
 */
final class Everything {
    static final Schema SCHEMA = load();

    /** One JSON line giving every field except the two with defaults. */
    static final String JSON_LINE = "{\"nothing\":null,\"flag\":true,\"count\":42,\"total\":9007199254740993,"
            + "\"ratio\":1.5,\"score\":-2.25e3,\"name\":\"张伟 菏泽市牡丹区\",\"blob\":\"AQID\",\"four\":\"AQIDBA==\","
            + "\"colour\":\"GREEN\",\"numbers\":[1,2,3],\"labels\":{\"a\":\"甲\"},\"inner\":{\"x\":1},"
            + "\"maybe\":\"有\",\"either\":\"text\",\"day\":\"2024-02-29\",\"at\":\"2024-05-01T08:30:00+08:00\","
            + "\"atMicros\":\"2024-05-01T00:30:00.000001Z\",\"localAt\":\"2024-05-01T08:30:00\","
            + "\"clock\":\"08:30:15.250\",\"amount\":\"1234.5\",\"fixedAmount\":-12.125,"
            + "\"uuid\":\"123E4567-E89B-12D3-A456-426614174000\"}";

    static final String CSV_HEADER = "nothing,flag,count,total,ratio,score,name,blob,four,colour,numbers,labels,inner,"
            + "maybe,either,day,at,atMicros,localAt,clock,amount,fixedAmount,uuid";

    /** The same row as {@link #JSON_LINE}, in CSV: JSON in the cells of the complex types. */
    static final String CSV_ROW = ",true,42,9007199254740993,1.5,-2.25e3,张伟 菏泽市牡丹区,AQID,AQIDBA==,GREEN,\"[1,2,3]\","
            + "\"{\"\"a\"\":\"\"甲\"\"}\",\"{\"\"x\"\":1}\",有,text,2024-02-29,2024-05-01 08:30:00,"
            + "2024-05-01T00:30:00.000001Z,2024-05-01T08:30:00,08:30:15.250,1234.5,-12.125,"
            + "123E4567-E89B-12D3-A456-426614174000";

    private Everything() {}

    private static Schema load() {
        try (InputStream in = Everything.class.getResourceAsStream("/convert/everything.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertTheGoodRow(GenericRecord r) {
        assertThat(r.getSchema()).isSameAs(SCHEMA);
        assertThat(r.get("nothing")).isNull();
        assertThat(r.get("flag")).isEqualTo(true);
        assertThat(r.get("count")).isEqualTo(42);
        assertThat(r.get("total")).isEqualTo(9_007_199_254_740_993L);
        assertThat(r.get("ratio")).isEqualTo(1.5f);
        assertThat(r.get("score")).isEqualTo(-2250.0);
        assertThat(r.get("name")).isEqualTo("张伟 菏泽市牡丹区");
        assertThat(bytes((ByteBuffer) r.get("blob"))).containsExactly(1, 2, 3);
        assertThat(((GenericFixed) r.get("four")).bytes()).containsExactly(1, 2, 3, 4);
        assertThat(r.get("colour"))
                .isEqualTo(new GenericData.EnumSymbol(SCHEMA.getField("colour").schema(), "GREEN"));
        assertThat(r.get("numbers")).isEqualTo(java.util.List.of(1, 2, 3));
        assertThat(r.get("labels")).isEqualTo(java.util.Map.of("a", "甲"));
        GenericRecord inner = (GenericRecord) r.get("inner");
        assertThat(inner.get("x")).isEqualTo(1);
        assertThat(inner.get("y")).isNull();
        assertThat(r.get("maybe")).isEqualTo("有");
        assertThat(r.get("either")).isEqualTo("text");
        assertThat(r.get("day")).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
        assertThat(r.get("at")).isEqualTo(Instant.parse("2024-05-01T00:30:00Z").toEpochMilli());
        assertThat(r.get("atMicros"))
                .isEqualTo(Instant.parse("2024-05-01T00:30:00Z").getEpochSecond() * 1_000_000L + 1);
        assertThat(r.get("localAt"))
                .isEqualTo(LocalDateTime.parse("2024-05-01T08:30:00").toEpochSecond(ZoneOffset.UTC) * 1000);
        assertThat(r.get("clock")).isEqualTo(((8 * 60 + 30) * 60 + 15) * 1000 + 250);
        assertThat(decimal(r, "amount")).isEqualTo(new BigDecimal("1234.50"));
        assertThat(decimal(r, "fixedAmount")).isEqualTo(new BigDecimal("-12.125"));
        assertThat(r.get("uuid")).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
        assertThat(r.get("withDefault")).isEqualTo(7);
        assertThat((Iterable<?>) r.get("tags")).isEmpty();
    }

    static BigDecimal decimal(GenericRecord r, String field) {
        Schema schema = SCHEMA.getField(field).schema();
        LogicalTypes.Decimal logical = (LogicalTypes.Decimal) schema.getLogicalType();
        Conversions.DecimalConversion conversion = new Conversions.DecimalConversion();
        Object value = r.get(field);
        return value instanceof ByteBuffer buffer
                ? conversion.fromBytes(buffer.duplicate(), schema, logical)
                : conversion.fromFixed((GenericFixed) value, schema, logical);
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
