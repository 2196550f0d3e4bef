package city.heze.peony.streams.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.ShareType;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ShareDeadlinesTest {
    private static final String CATALOG = "mz.social-assistance";

    private static ShareDeadlines of(String... keyValues) {
        Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return ShareDeadlines.fromProperties(props);
    }

    @Test
    void conditionalAndNotSharedDataGetTenWorkingDaysByDefault() {
        ShareDeadlines d = ShareDeadlines.defaults();
        assertThat(d.workingDays(CATALOG, ShareType.CONDITIONAL, null, null)).isEqualTo(10);
        assertThat(d.workingDays(CATALOG, ShareType.NOT_SHARED, null, null)).isEqualTo(10);
        assertThat(d.workingDays(CATALOG, ShareType.UNKNOWN, null, null))
                .as("a share type from a newer writer is held to the CONDITIONAL deadline")
                .isEqualTo(10);
    }

    @Test
    void unconditionalDataTakesNoApplicationUnlessConfigured() {
        assertThat(ShareDeadlines.defaults().takesApplications(ShareType.UNCONDITIONAL))
                .isFalse();
        assertThatThrownBy(() -> ShareDeadlines.defaults().workingDays(CATALOG, ShareType.UNCONDITIONAL, 5, 3))
                .isInstanceOf(InvalidShareEvent.class)
                .hasMessageContaining("UNCONDITIONAL")
                .hasMessageContaining("peony.share.deadline.UNCONDITIONAL=N")
                .satisfies(e -> assertThat(((InvalidShareEvent) e).ruleId()).isEqualTo("share.no-application-needed"));
        assertThat(of("peony.share.deadline.UNCONDITIONAL", "3")
                        .workingDays(CATALOG, ShareType.UNCONDITIONAL, null, null))
                .isEqualTo(3);
    }

    @Test
    void theRequestWinsThenTheCatalogEntryThenTheCatalogPropertyThenTheShareType() {
        ShareDeadlines d = of(
                "peony.share.deadline.CONDITIONAL",
                "8",
                "peony.share.deadline.catalog." + CATALOG,
                "6",
                "bootstrap.servers",
                "ignored:9092");
        assertThat(d.workingDays(CATALOG, ShareType.CONDITIONAL, 5, 2)).isEqualTo(2);
        assertThat(d.workingDays(CATALOG, ShareType.CONDITIONAL, 5, null)).isEqualTo(5);
        assertThat(d.workingDays(CATALOG, ShareType.CONDITIONAL, null, null)).isEqualTo(6);
        assertThat(d.workingDays("rs.pensions", ShareType.CONDITIONAL, null, null))
                .isEqualTo(8);
    }

    @Test
    void aShareTypeCanBeClosedToApplications() {
        ShareDeadlines d = of("peony.share.deadline.NOT_SHARED", "none");
        assertThat(d.takesApplications(ShareType.NOT_SHARED)).isFalse();
        assertThat(d.takesApplications(ShareType.CONDITIONAL)).isTrue();
    }

    @Test
    void aRequestedDeadlineOutOfRangeIsInvalid() {
        assertThatThrownBy(() -> ShareDeadlines.defaults().workingDays(CATALOG, ShareType.CONDITIONAL, null, 0))
                .isInstanceOf(InvalidShareEvent.class)
                .hasMessageContaining("deadlineWorkingDays is 0; expected 1 to 250");
    }

    @Test
    void badPropertiesNameTheKeyAndWhatWasExpected() {
        assertThatThrownBy(() -> of("peony.share.deadline.CONDITONAL", "5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peony.share.deadline.CONDITONAL: unknown share type 'CONDITONAL'");
        assertThatThrownBy(() -> of("peony.share.deadline.CONDITIONAL", "ten"))
                .hasMessageContaining("peony.share.deadline.CONDITIONAL=ten: expected a whole number of working days");
        assertThatThrownBy(() -> of("peony.share.deadline.catalog." + CATALOG, "none"))
                .hasMessageContaining("expected a whole number of working days from 1 to 250")
                .hasMessageNotContaining("'none'");
        assertThatThrownBy(() -> of("peony.share.deadline.catalog.", "5"))
                .hasMessageContaining("expected a catalog id");
        assertThatThrownBy(() -> ShareDeadlines.fromMap(Map.of("peony.share.deadline.NOT_SHARED", 0)))
                .hasMessageContaining("peony.share.deadline.NOT_SHARED=0");
    }
}
