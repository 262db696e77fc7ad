using MdiFlow.Cli.Commands;
using MdiFlow.Cli.Hosting;
using MdiFlow.Instances;

namespace MdiFlow.Cli.Tests.Hosting;

public sealed class StoreLocationTests
{
    private const string Secret = "ab/cd;x";
    private static readonly string Postgres = $"postgres:Host=/var/run/postgresql;Database=mdiflow;Username=dc01_worker;Password=\"{Secret}\"";

    [Fact]
    public void A_postgres_store_keeps_its_files_under_the_current_directory_never_a_folder_made_of_its_connection_string()
    {
        var location = StoreLocation.Parse(Postgres, "--store", fromFlag: true);
        var instance = new InstanceId("01jz7k2m9q0000000000000001");

        location.Folder.Should().Be(Directory.GetCurrentDirectory());
        LabRehearsal.StateDirectory(location, instance).Should().Be(Path.Combine(Directory.GetCurrentDirectory(), ".mdiflow-lab", instance.Value));
    }

    [Fact]
    public void A_sqlite_store_keeps_its_files_beside_its_file()
    {
        var location = StoreLocation.Parse("sqlite:/srv/rollout/mdiflow.db", "--store", fromFlag: true);

        location.Folder.Should().Be("/srv/rollout");
        LabRehearsal.StateDirectory(location, new InstanceId("01jz7k2m9q0000000000000001")).Should().Be("/srv/rollout/.mdiflow-lab/01jz7k2m9q0000000000000001");
        location.Display.Should().Be("/srv/rollout/mdiflow.db");
    }

    [Fact]
    public void A_postgres_store_is_shown_and_repeated_without_its_password()
    {
        var location = StoreLocation.Parse(Postgres, "--store", fromFlag: true);

        location.Display.Should().Be("Host=/var/run/postgresql;Database=mdiflow;Username=dc01_worker");
        location.Argument.Should().Be(" --store \"postgres:Host=/var/run/postgresql;Database=mdiflow;Username=dc01_worker\"");
        location.Exists.Should().BeTrue("the server is asked when the store opens");
    }

    [Fact]
    public void The_store_option_names_both_kinds_of_store()
    {
        CommonOptions.Store.Description.Should().Contain("sqlite:PATH").And.Contain("postgres:CONNECTION-STRING").And.Contain("never on the command line");
    }
}
