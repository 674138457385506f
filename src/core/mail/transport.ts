import nodemailer from 'nodemailer';

export type Transport = {
  send: (msg: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html?: string;
    messageId: string;
  }) => Promise<void>;
};

/** How an app delivers its outbox: the transport and the From of every message. */
export type Mailer = { transport: Transport; from: string };

/** SMTP when SMTP_URL is set; otherwise messages stay in the outbox (read them at /dev/mailbox). */
export function createTransport(smtpUrl: string | undefined): Transport {
  const transporter = smtpUrl
    ? nodemailer.createTransport(smtpUrl)
    : nodemailer.createTransport({ jsonTransport: true });
  return {
    send: async (msg) => {
      await transporter.sendMail({ ...msg, html: msg.html ?? undefined });
    },
  };
}
