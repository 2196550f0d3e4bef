package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ListingTest {
    @Test
    void chineseCharactersTakeTwoColumnsSoTheNextColumnStaysAligned() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Listing table = Listing.table(out, "%-8s %5s|%n", "NAME", "N");
        table.row("民政局", 3);
        table.row("mz", 12);
        out.flush();
        String[] lines = text.toString().split(System.lineSeparator());
        assertThat(lines).containsExactly("NAME         N|", "民政局       3|", "mz          12|");
        // every row ends in the same terminal column
        assertThat(Listing.columns(lines[1])).isEqualTo(Listing.columns(lines[0]));
    }

    @Test
    void rendersLikeStringFormatForPlainText() {
        String format = "%-6s %-10s %6s %s%n";
        Object[] cells = {"a", "bcd", 42, "tail"};
        assertThat(Listing.render(format, cells)).isEqualTo(String.format(format, cells));
    }

    @Test
    void aCellWiderThanItsColumnIsPrintedWhole() {
        assertThat(Listing.render("%-2s|%n", "菏泽市")).isEqualTo("菏泽市|" + System.lineSeparator());
    }

    @Test
    void countsColumns() {
        assertThat(Listing.columns("abc")).isEqualTo(3);
        assertThat(Listing.columns("菏泽")).isEqualTo(4);
        assertThat(Listing.columns("ＡＢ")).isEqualTo(4); // full-width forms
        assertThat(Listing.columns("𠀀")).isEqualTo(2); // CJK extension B, a surrogate pair
    }
}
