package app.miosa.gateway.stream;

import app.miosa.gateway.computer.Computer;
import app.miosa.gateway.computer.ComputerService;
import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.ticket.TicketClaims;
import jakarta.ejb.EJB;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Serves the viewer page of {@code /computer/{cid}} once {@link TicketCheckFilter} has accepted
 * the ticket. The page's script reads the ticket from its own URL. The servlet fills in the
 * ticket's expiry and the server's current time, so that the script can warn the embedding page
 * ahead of the expiry even when the browser's clock is wrong. The page opens the audio stream only
 * when the servlet fills in "on": for a URL with {@code audio=1} and a computer with an audio
 * source.
 */
@WebServlet("/computer/*")
public class ViewerServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final String PAGE = "/WEB-INF/viewer.html";
  private static final String EXPIRES_AT_PLACEHOLDER = "{{ticket-expires-at}}";
  private static final String SERVED_AT_PLACEHOLDER = "{{served-at}}";
  private static final String AUDIO_PLACEHOLDER = "{{audio}}";

  /** The query parameter with which an embedding page requests the computer's audio. */
  static final String AUDIO_PARAMETER = "audio";

  @EJB transient ComputerService computers;

  private String page;

  @Override
  public void init() throws ServletException {
    try (InputStream in = getServletContext().getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new ServletException("The viewer page " + PAGE + " is missing from the archive");
      }
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ServletException("Reading the viewer page " + PAGE + " failed", e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!(request.getAttribute(TicketCheckFilter.CLAIMS_ATTRIBUTE)
        instanceof TicketClaims claims)) {
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

    String html = render(page, claims.expiresAt(), Instant.now(), audio(request, claims));
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    response.setContentType("text/html");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /**
   * Returns the viewer page template with the ticket's expiry, the serving time and whether to
   * play audio filled in.
   */
  static String render(String template, Instant expiresAt, Instant servedAt, boolean audio) {
    return template
        .replace(EXPIRES_AT_PLACEHOLDER, ErrorPages.escape(expiresAt.toString()))
        .replace(SERVED_AT_PLACEHOLDER, ErrorPages.escape(servedAt.toString()))
        .replace(AUDIO_PLACEHOLDER, audio ? "on" : "off");
  }

  /** Returns whether the URL carries audio=1 and the ticket's computer has an audio source. */
  private boolean audio(HttpServletRequest request, TicketClaims claims) {
    if (!"1".equals(request.getParameter(AUDIO_PARAMETER))) {
      return false;
    }
    return computers
        .find(claims.tenant(), claims.computerId())
        .flatMap(Computer::getAudioUrl)
        .isPresent();
  }
}
