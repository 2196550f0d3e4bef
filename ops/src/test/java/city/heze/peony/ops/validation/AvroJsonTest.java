package city.heze.peony.ops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroJsonTest {
    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"R","namespace":"t","fields":[
              {"name":"name","type":"string"},
              {"name":"born","type":{"type":"int","logicalType":"date"}},
              {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
              {"name":"phone","type":["null","string"],"default":null},
              {"name":"codes","type":{"type":"array","items":"string"}}]}""");

    @Test
    void logicalTypesReadAsAPersonWouldWriteThem() {
        Schema amount = SCHEMA.getField("amount").schema();
        ByteBuffer bytes = new Conversions.DecimalConversion()
                .toBytes(new BigDecimal("1234.50"), amount, LogicalTypes.decimal(12, 2));
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("name", "张三");
        r.put("born", (int) LocalDate.of(1991, 1, 1).toEpochDay());
        r.put("at", Instant.parse("2025-10-09T02:15:00Z").toEpochMilli());
        r.put("amount", bytes);
        r.put("phone", null);
        r.put("codes", List.of("N18.9"));

        String json = AvroJson.of(r, SCHEMA).toString();

        assertThat(json)
                .isEqualTo("{\"name\":\"张三\",\"born\":\"1991-01-01\",\"at\":\"2025-10-09T02:15:00Z\","
                        + "\"amount\":1234.50,\"phone\":null,\"codes\":[\"N18.9\"]}");
    }
}
