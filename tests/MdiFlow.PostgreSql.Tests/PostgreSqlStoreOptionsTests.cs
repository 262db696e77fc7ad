namespace MdiFlow.PostgreSql.Tests;

public sealed class PostgreSqlStoreOptionsTests
{
    [Theory]
    [InlineData("", "mdiflow_owner", "mdiflow_app", 30, "The PostgreSQL store needs a connection string: set PostgreSqlStoreOptions.ConnectionString (for example Host=db01;Database=mdiflow;Username=mdiflow_app).*")]
    [InlineData("Host=db01", "Owner", "mdiflow_app", 30, "PostgreSqlStoreOptions.OwnerRole 'Owner' is not a plain role name: use 1 to 63 lowercase letters, digits and underscores, starting with a letter or underscore.*")]
    [InlineData("Host=db01", "mdiflow_owner", "app; DROP TABLE x", 30, "PostgreSqlStoreOptions.ApplicationRole 'app; DROP TABLE x' is not a plain role name*")]
    [InlineData("Host=db01", "mdiflow", "mdiflow", 30, "PostgreSqlStoreOptions.OwnerRole and ApplicationRole are both 'mdiflow': the application role must be another role, one that cannot change the journal.*")]
    [InlineData("Host=db01", "mdiflow_owner", "mdiflow_app", 0, "PostgreSqlStoreOptions.CommandTimeout must be between 1 s and 1 h; it is 00:00:00.*")]
    public void Invalid_options_are_refused_with_what_to_change(string connectionString, string owner, string application, int timeoutSeconds, string message)
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = connectionString, OwnerRole = owner, ApplicationRole = application, CommandTimeout = TimeSpan.FromSeconds(timeoutSeconds) };

        var validate = () => options.Validate();

        validate.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void The_defaults_are_the_documented_roles_and_a_30_second_timeout()
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = "Host=db01;Database=mdiflow" };

        options.Validate();

        (options.OwnerRole, options.ApplicationRole, options.CommandTimeout).Should().Be(("mdiflow_owner", "mdiflow_app", TimeSpan.FromSeconds(30)));
    }
}
