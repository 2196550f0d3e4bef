package city.heze.peony.producers.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Generated text matches its pattern; patterns beyond the sampler are refused by name. */
class PatternSamplerTest {

    @Test
    void samplesMatchThePatternsCatalogsUse() {
        for (String pattern : new String[] {
            "[JL]\\d{6}-\\d{4}-\\d{6}",
            "[A-Z]\\d{9}",
            "^(?:鲁R|鲁A)[0-9]{5}$",
            "(MZ|RS)-\\d{2,4}[a-c]?x*y+",
            "[\\u4e00-\\u9fa5]{2,4}",
            "\\w{3}\\.\\d{1,}",
            "[-a-c_]{1,3}"
        }) {
            PatternSampler sampler = PatternSampler.of(pattern);
            Pattern compiled = Pattern.compile(pattern);
            Random random = new Random(7);
            for (int i = 0; i < 500; i++) {
                String sample = sampler.sample(random);
                assertThat(compiled.matcher(sample).matches())
                        .as(pattern + " / " + sample)
                        .isTrue();
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameSamples() {
        PatternSampler sampler = PatternSampler.of("[JL]\\d{6}-\\d{4}-\\d{6}");
        Random a = new Random(42);
        Random b = new Random(42);
        for (int i = 0; i < 20; i++) {
            assertThat(sampler.sample(a)).isEqualTo(sampler.sample(b));
        }
    }

    @Test
    void constructsBeyondTheSamplerAreRefusedNamingThePattern() {
        assertThatThrownBy(() -> PatternSampler.of("[^0-9]{3}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern [^0-9]{3}: a negated character class");
        assertThatThrownBy(() -> PatternSampler.of("(a)\\1")).hasMessageContaining("the escape \\1");
        assertThatThrownBy(() -> PatternSampler.of("(?=a)a")).hasMessageContaining("group construct");
    }
}
