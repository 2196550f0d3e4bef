package city.heze.peony.streams.calendar;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one year's file of the holiday-cn format: {@code {"year": 2025, "days": [{"name": "春节",
 * "date": "2025-01-28", "isOffDay": true}, …]}}, listing each day that differs from the
 * Monday-to-Friday rule. A file may list a few days of the neighbouring years (the 2023 notice
 * covers 2022-12-31), so dates may lie one year either side of the file's year.
 */
final class HolidayFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private HolidayFile() {}

    /** The listed days: true for a day off, false for a (make-up) working day. */
    static Map<LocalDate, Boolean> read(String resource, int year, InputStream in) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonParseException e) {
            throw new HolidayDataException(
                    resource + " is not valid JSON: " + e.getOriginalMessage() + " at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr(),
                    e);
        } catch (IOException e) {
            throw new HolidayDataException(resource + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new HolidayDataException(resource + ": expected a JSON object with 'year' and 'days'");
        }
        JsonNode declaredYear = root.get("year");
        if (declaredYear == null || !declaredYear.isInt() || declaredYear.intValue() != year) {
            throw new HolidayDataException(
                    resource + ": 'year' is " + declaredYear + ", expected " + year + " as in the file's name");
        }
        JsonNode days = root.get("days");
        if (days == null || !days.isArray()) {
            throw new HolidayDataException(resource + ": 'days' is " + days + ", expected an array of days");
        }
        Map<LocalDate, Boolean> listed = new LinkedHashMap<>();
        for (int i = 0; i < days.size(); i++) {
            JsonNode day = days.get(i);
            String where = resource + ": days[" + i + "]";
            LocalDate date = date(where, day.get("date"));
            if (Math.abs(date.getYear() - year) > 1) {
                throw new HolidayDataException(where + ": date " + date + " is far from " + year
                        + ", expected a date of " + year + " or of the days around it");
            }
            JsonNode offDay = day.get("isOffDay");
            if (offDay == null || !offDay.isBoolean()) {
                throw new HolidayDataException(where + " (" + date + "): 'isOffDay' is " + offDay
                        + ", expected true (a day off) or false (a working day)");
            }
            if (listed.put(date, offDay.booleanValue()) != null) {
                throw new HolidayDataException(where + ": " + date + " is listed twice, expected each date once");
            }
        }
        return listed;
    }

    private static LocalDate date(String where, JsonNode date) {
        if (date == null || !date.isTextual()) {
            throw new HolidayDataException(where + ": 'date' is " + date + ", expected a date \"yyyy-MM-dd\"");
        }
        try {
            return LocalDate.parse(date.textValue());
        } catch (DateTimeParseException e) {
            throw new HolidayDataException(where + ": 'date' is \"" + date.textValue()
                    + "\", which is no date; expected a real date \"yyyy-MM-dd\"");
        }
    }
}
