using MailKit.Net.Smtp;
using MailKit.Security;
using MdiFlow.Lab.Notifications;
using MimeKit;

namespace MdiFlow.Lab.Tests.Notifications;

public sealed class LabSmtpSinkTests
{
    [Fact]
    public async Task MailKit_sends_two_messages_in_one_session_and_the_sink_keeps_both_with_their_envelopes()
    {
        await using var sink = LabSmtpSink.Start();
        using var client = new SmtpClient();
        await client.ConnectAsync(sink.Host, sink.Port, SecureSocketOptions.None);
        var first = new MimeMessage([MailboxAddress.Parse("mdiflow@lab.mdiflow.test")], [MailboxAddress.Parse("bob@lab.mdiflow.test"), MailboxAddress.Parse("carol@lab.mdiflow.test")], "Gate open", new TextPart("plain") { Text = "Line one\r\n.leading dot\r\n." });
        var second = new MimeMessage([MailboxAddress.Parse("mdiflow@lab.mdiflow.test")], [MailboxAddress.Parse("dave@lab.mdiflow.test")], "Gate decided", new TextPart("plain") { Text = "Approved." });

        await client.SendAsync(first);
        await client.SendAsync(second);
        await client.DisconnectAsync(quit: true);
        var messages = await sink.WaitForMessagesAsync(2);

        messages.Select(m => m.To).Should().BeEquivalentTo(new[] { new[] { "bob@lab.mdiflow.test", "carol@lab.mdiflow.test" }, new[] { "dave@lab.mdiflow.test" } }, o => o.WithStrictOrdering());
        messages[0].From.Should().Be("mdiflow@lab.mdiflow.test");
        var parsed = await MimeMessage.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(messages[0].Data)));
        parsed.Subject.Should().Be("Gate open");
        parsed.TextBody!.ReplaceLineEndings("\n").TrimEnd().Should().Be("Line one\n.leading dot\n.");
    }

    [Fact]
    public async Task Data_before_a_recipient_is_refused_with_503()
    {
        await using var sink = LabSmtpSink.Start();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(sink.Host, sink.Port);
        using var reader = new StreamReader(tcp.GetStream());
        await using var writer = new StreamWriter(tcp.GetStream()) { NewLine = "\r\n", AutoFlush = true };

        var greeting = await reader.ReadLineAsync();
        await writer.WriteLineAsync("HELO test");
        var helo = await reader.ReadLineAsync();
        await writer.WriteLineAsync("DATA");
        var data = await reader.ReadLineAsync();

        greeting.Should().StartWith("220 ");
        helo.Should().StartWith("250 ");
        data.Should().StartWith("503 ");
        sink.Messages.Should().BeEmpty();
    }
}
