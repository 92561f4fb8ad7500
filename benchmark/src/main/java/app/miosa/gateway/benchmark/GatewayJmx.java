package app.miosa.gateway.benchmark;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Platform MXBeans of the gateway's JVM, reached through the JDK's attach API and the local JMX
 * agent it starts there (the same agent {@code jcmd PID ManagementAgent.start_local} starts). It
 * reads what a heap figure leaves out: direct buffers and live threads.
 */
final class GatewayJmx implements AutoCloseable {
  private final JMXConnector connector;
  private final BufferPoolMXBean directBuffers;
  private final ThreadMXBean threads;

  private GatewayJmx(JMXConnector connector) throws IOException {
    this.connector = connector;
    MBeanServerConnection server = connector.getMBeanServerConnection();
    this.directBuffers =
        ManagementFactory.newPlatformMXBeanProxy(
            server, "java.nio:type=BufferPool,name=direct", BufferPoolMXBean.class);
    this.threads =
        ManagementFactory.newPlatformMXBeanProxy(
            server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
  }

  /** Attaches to {@code pid} and connects to its local JMX agent, starting the agent if needed. */
  static GatewayJmx attach(long pid) throws IOException {
    String address;
    try {
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
    } catch (AttachNotSupportedException e) {
      throw new IOException("Attaching to JVM " + pid + " failed", e);
    }
    return new GatewayJmx(JMXConnectorFactory.connect(new JMXServiceURL(address)));
  }

  /** Returns the bytes of live direct buffers. */
  long directBufferBytes() {
    return directBuffers.getMemoryUsed();
  }

  int liveThreads() {
    return threads.getThreadCount();
  }

  @Override
  public void close() throws IOException {
    connector.close();
  }
}
