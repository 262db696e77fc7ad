namespace MdiFlow.PostgreSql.Tests;

public sealed class ServerAddressTests
{
    [Fact]
    public void A_connection_string_is_described_by_host_port_database_and_user_never_by_its_password()
    {
        var address = ServerAddress.Parse("Host=db01.contoso.com;Port=6432;Database=rollout;Username=dc01_worker;Password=hunter2");

        address.Description.Should().Be("database 'rollout' on db01.contoso.com:6432 as 'dc01_worker'");
        address.WithoutSecrets.Should().Be("Host=db01.contoso.com;Port=6432;Database=rollout;Username=dc01_worker");
    }

    [Fact]
    public void Every_spelling_of_a_password_is_left_out_of_the_connection_string_without_secrets()
    {
        ServerAddress.Parse("Host=db01;Database=mdiflow;PWD=hunter2;SSL Password=key-pass").WithoutSecrets.Should().Be("Host=db01;Database=mdiflow");
        ServerAddress.Parse("host=db01;database=mdiflow;psw=hunter2").WithoutSecrets.Should().Be("Host=db01;Database=mdiflow");
    }

    [Fact]
    public void The_port_defaults_to_5432()
    {
        ServerAddress.Parse("Host=db01;Database=mdiflow;Username=app").Description.Should().Be("database 'mdiflow' on db01:5432 as 'app'");
    }

    [Theory]
    [InlineData("Host=db01;Password=hunt;er2;Database=mdiflow", "it has a setting that Npgsql does not know (not repeated here, in case it is part of a password split by an unquoted ';')")]
    [InlineData("Host=db01;Password=hunter2;Port=fifty", "the value of the setting 'port' is not valid")]
    [InlineData("Host=db01;Password=\"hunter2", "it is not a list of Key=Value settings separated by ';' (quote a value that contains ';' or '=' with double quotes)")]
    public void A_malformed_connection_string_is_refused_with_a_message_that_repeats_no_value(string connectionString, string reason)
    {
        var parse = () => ServerAddress.Parse(connectionString);

        var error = parse.Should().Throw<ArgumentException>().Which;
        error.Message.Should().StartWith($"The PostgreSQL connection string is not valid: {reason}. Write it as Key=Value pairs");
        error.ToString().Should().NotContain("hunt").And.NotContain("fifty").And.NotContain("er2");
        error.InnerException.Should().BeNull("Npgsql's own message may quote the value");
    }
}
