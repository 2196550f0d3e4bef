package city.heze.peony.ops.share;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.ops.PeonyCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Usage errors of the share commands, caught before any cluster is contacted (none runs here). */
class ShareCommandTest {
    /** Nothing listens here: a command that tried to connect would fail differently. */
    private static final String[] NO_CLUSTER = {
        "--bootstrap-servers", "127.0.0.1:1", "--registry-url", "http://127.0.0.1:1"
    };

    private StringWriter err = new StringWriter();

    private int peony(String... args) {
        String[] all = new String[args.length + NO_CLUSTER.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(NO_CLUSTER, 0, all, args.length, NO_CLUSTER.length);
        return PeonyCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), all);
    }

    private String err() {
        return err.toString();
    }

    @Test
    void aRefusalWithoutAReasonIsAUsageError() {
        assertThat(peony("share", "decide", "sq-1", "--refuse")).isEqualTo(2);
        assertThat(err())
                .contains("peony share decide: --refuse needs --reason")
                .doesNotContain("Exception");
    }

    @Test
    void aDecisionIsEitherAnApprovalOrARefusal() {
        assertThat(peony("share", "decide", "sq-1", "--approve", "--refuse", "--reason", "x"))
                .isEqualTo(2);
        assertThat(err()).contains("mutually exclusive");
        err = new StringWriter();
        assertThat(peony("share", "decide", "sq-1")).isEqualTo(2);
        assertThat(err()).contains("--approve").contains("--refuse");
    }

    @Test
    void anApprovalTakesNoReason() {
        assertThat(peony("share", "decide", "sq-1", "--approve", "--reason", "ok"))
                .isEqualTo(2);
        assertThat(err()).contains("--reason goes with --refuse");
    }

    @Test
    void aTimeThatIsNotIsoIsAUsageErrorNamingTheOption() {
        assertThat(peony("share", "decide", "sq-1", "--approve", "--decided-at", "yesterday"))
                .isEqualTo(2);
        assertThat(err()).contains("--decided-at 'yesterday': expected an ISO time");
        err = new StringWriter();
        assertThat(peony(
                        "share",
                        "request",
                        "--from",
                        "rs",
                        "--catalog",
                        "mz.x",
                        "--purpose",
                        "p",
                        "--submitted-at",
                        "x"))
                .isEqualTo(2);
        assertThat(err()).contains("--submitted-at 'x'");
    }

    @Test
    void aTimeInTheFutureIsRefused() {
        assertThat(peony("share", "withdraw", "sq-1", "--withdrawn-at", "2099-01-01"))
                .isEqualTo(2);
        assertThat(err()).contains("--withdrawn-at 2099-01-01T00:00+08:00 is in the future");
    }

    @Test
    void listAndRatesNameTheValuesTheyAccept() {
        assertThat(peony("share", "list", "--status", "late-ish")).isEqualTo(2);
        assertThat(err()).contains("--status late-ish: expected one of OPEN, TIMELY, LATE, OVERDUE, WITHDRAWN");
        err = new StringWriter();
        assertThat(peony("rates", "--period", "week")).isEqualTo(2);
        assertThat(err()).contains("--period week: expected day, month or 30d");
    }
}
