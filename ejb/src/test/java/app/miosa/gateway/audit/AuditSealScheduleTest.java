package app.miosa.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ejb.EJBException;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class AuditSealScheduleTest {
  @Test
  void uniqueViolationFoundInsideEjbException() {
    SQLException duplicate = new SQLException("duplicate key value", "23505");
    EJBException wrapped = new EJBException(new PersistenceException("insert failed", duplicate));

    assertTrue(AuditSealSchedule.isUniqueViolation(wrapped));
  }

  @Test
  void otherDatabaseErrorIsNoUniqueViolation() {
    SQLException down = new SQLException("connection refused", "08001");

    assertFalse(AuditSealSchedule.isUniqueViolation(new PersistenceException(down)));
    assertFalse(AuditSealSchedule.isUniqueViolation(new IllegalStateException("no cause")));
  }
}
