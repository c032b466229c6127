package dev.airlock.server.alert;

import dev.airlock.alert.Channel;
import jakarta.mail.Authenticator;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;

/**
 * Sends notifications as e-mail over SMTP to the alert's recipients (the model's contact, then its escalation list).
 * Failures name the channel and the kind of failure, never the password.
 */
final class SmtpChannel implements Channel {
    private final String name;
    private final Session session;
    private final String from;

    SmtpChannel(
            String name,
            String host,
            int port,
            @org.jspecify.annotations.Nullable String user,
            @org.jspecify.annotations.Nullable String password,
            String from,
            boolean starttls,
            Duration timeout) {
        this.name = name;
        this.from = from;
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
        p.put("mail.smtp.timeout", Long.toString(timeout.toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
        if (starttls) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        Authenticator auth = null;
        if (user != null && !user.isBlank()) {
            p.put("mail.smtp.auth", "true");
            String secret = password == null ? "" : password;
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, secret);
                }
            };
        }
        this.session = Session.getInstance(p, auth);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Message message) throws DeliveryFailed {
        if (message.recipients().isEmpty()) {
            return; // nobody to write to: the owner declared no contact for this stage
        }
        try {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(new InternetAddress(from));
            for (String to : message.recipients()) {
                mail.addRecipient(RecipientType.TO, new InternetAddress(to));
            }
            mail.setSubject(message.title(), "UTF-8");
            mail.setText(message.text(), "UTF-8");
            Transport.send(mail);
        } catch (MessagingException e) {
            throw new DeliveryFailed(
                    "smtp channel '" + name + "' failed (" + e.getClass().getSimpleName() + ")");
        }
    }
}
