package dev.rebound.model.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reference 3.3: gobwas/glob without separators, as Velero matches namespaces and resources. */
class GlobTest {

  @ParameterizedTest(name = "\"{0}\" matches \"{1}\": {2}")
  @CsvSource({
      "*,anything,true",
      "*,'',true",
      "shop-*,shop-eu,true",
      "shop-*,shop-,true",
      "shop-*,myshop-eu,false",
      "*-prod,team-a-prod,true",
      "app?,app1,true",
      "app?,app,false",
      "app?,app12,false",
      "ns-[abc],ns-b,true",
      "ns-[abc],ns-d,false",
      "ns-[a-c]x,ns-bx,true",
      "ns-[!a-c],ns-d,true",
      "ns-[!a-c],ns-a,false",
      "'{dev,qa}-*','qa-1',true",
      "'{dev,qa}-*','prod-1',false",
      "deployments.apps,deployments.apps,true",
      "deployments.apps,deploymentsXapps,false",
      "*.apps,replicasets.apps,true",
      "*/x,a/b/x,true",
      "'a\\*',a*,true",
      "'a\\*',ab,false",
      "a+b,a+b,true",
      "a(b),a(b),true",
  })
  void matchesAsGobwasWithoutSeparators(String pattern, String value, boolean expected) {
    assertEquals(expected, Glob.compile(pattern).matches(value));
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(strings = {"ns-[abc", "ns-[]", "{a,b", "a}", "x\\"})
  void malformedPatternsAreRejected(String pattern) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glob.compile(pattern));
    assertEquals(true, e.getMessage().startsWith("invalid glob pattern \"" + pattern + "\": "), e.getMessage());
  }

  /** Reference 5: a resource modifier's groupResource is a glob with '.' as separator. */
  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
      "*, pods, true",
      "*, deployments.apps, false",
      "*.apps, deployments.apps, true",
      "*.apps, deployments.extensions, false",
      "*.*, deployments.apps, true",
      "*.*, pods, false",
      "*.*, ingresses.networking.k8s.io, false",
      "**, ingresses.networking.k8s.io, true",
      "deployments.apps, deployments.apps, true",
      "pod?, pods, true",
      "'{pods,services}', services, true"})
  void groupResourceGlobsStopAtDots(String pattern, String value, boolean expected) {
    assertEquals(expected, Glob.compile(pattern, '.').matches(value));
  }
}
