package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class RelayClassLoaderTest {
  @Test
  void findsNoThreadContextProviders() throws Exception {
    assertFalse(
        RelayClassLoader.INSTANCE
            .getResources(RelayClassLoader.THREAD_CONTEXT_PROVIDERS)
            .hasMoreElements());
  }

  @Test
  void findsOtherResourcesAsTheApplicationDoes() throws Exception {
    String name = "META-INF/MANIFEST.MF";
    ClassLoader application = RelayClassLoader.class.getClassLoader();

    assertTrue(RelayClassLoader.INSTANCE.getResources(name).hasMoreElements());
    assertEquals(
        Collections.list(application.getResources(name)),
        Collections.list(RelayClassLoader.INSTANCE.getResources(name)));
  }

  @Test
  void loadsClassesThroughTheApplication() throws Exception {
    assertEquals(
        DesktopRelay.class, RelayClassLoader.INSTANCE.loadClass(DesktopRelay.class.getName()));
  }
}
