package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Serves the viewer page of {@code /computer/{cid}} once {@link TicketCheckFilter} has accepted
 * the ticket. The page is static: its script reads the ticket from its own URL.
 */
@WebServlet("/computer/*")
public class ViewerServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final String PAGE = "/WEB-INF/viewer.html";

  private byte[] page;

  @Override
  public void init() throws ServletException {
    try (InputStream in = getServletContext().getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new ServletException("The viewer page " + PAGE + " is missing from the archive");
      }
      page = in.readAllBytes();
    } catch (IOException e) {
      throw new ServletException("Reading the viewer page " + PAGE + " failed", e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (request.getAttribute(TicketCheckFilter.CLAIMS_ATTRIBUTE) == null) {
      // Reached without the ticket filter, which web.xml maps to every path of this servlet.
      ErrorPages.send(response, Failure.NOT_FOUND, "There is nothing at this address.");
      return;
    }
    boolean websocketPath =
        StreamPath.parse(request.getPathInfo()).map(StreamPath::websocket).orElse(true);
    if (websocketPath) {
      response.setHeader("Upgrade", "websocket");
      ErrorPages.send(
          response, Failure.UPGRADE_REQUIRED, "Connect to it with a WebSocket, as the viewer does.");
      return;
    }

    response.setContentType("text/html");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(page.length);
    response.getOutputStream().write(page);
  }
}
