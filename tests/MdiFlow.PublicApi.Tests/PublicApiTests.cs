using System.Reflection;
using PublicApiGenerator;

namespace MdiFlow.PublicApi.Tests;

/// <summary>
/// Each packed library's public API, as PublicApiGenerator prints it, is the one approved in <c>Approved/NAME.txt</c>.
/// A change fails the test until it is approved on purpose, so it is seen in review. A new library (a store or a
/// plugin) gets a reference in this project and a line here.
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("MdiFlow.Core")]
    [InlineData("MdiFlow.Sqlite")]
    [InlineData("MdiFlow.PostgreSql")]
    [InlineData("MdiFlow.Web")]
    [InlineData("MdiFlow.Plugins.Standard")]
    [InlineData("MdiFlow.Plugins.DefenderForIdentity")]
    public void The_public_api_of_each_library_is_the_approved_one(string library)
    {
        var api = Assembly.Load(library).GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false });

        ApiApproval.Verify(library, api);
    }

    [Theory]
    [InlineData(typeof(MdiFlow.Instances.WorkflowInstance))]
    [InlineData(typeof(MdiFlow.Instances.StepState))]
    public void Instance_state_has_no_public_setter_and_no_mutable_collection(Type type)
    {
        // Only the engine and the stores change an instance: an embedder reads it.
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);

        properties.Should().NotBeEmpty();
        properties.Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name).Should().BeEmpty("{0} is changed only by the engine and the stores", type.Name);
        properties.Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() is var g && (g == typeof(List<>) || g == typeof(Dictionary<,>)))
            .Select(p => p.Name).Should().BeEmpty("collections of {0} are read-only views", type.Name);
        Assembly.Load("MdiFlow.Core").GeneratePublicApi(new ApiGeneratorOptions { IncludeTypes = [type] })
            .Should().NotContain(" set;").And.NotContain(" init;");
    }

    [Fact]
    public void An_unapproved_change_fails_and_says_how_to_approve_it()
    {
        const string approved = "namespace MdiFlow\n{\n    public sealed class Actor\n    {\n        public string Name { get; }\n    }\n}\n";
        var changed = approved.Replace("        public string Name { get; }\n", "        public string Name { get; }\n        public string Source { get; }\n", StringComparison.Ordinal);

        var problem = ApiApproval.Difference("MdiFlow.Example", approved, changed);

        problem.Should().Contain("The public API of MdiFlow.Example changed")
            .And.Contain("+         public string Source { get; }")
            .And.Contain("MDIFLOW_APPROVE_API=1 dotnet test tests/MdiFlow.PublicApi.Tests");
        ApiApproval.Difference("MdiFlow.Example", approved, approved.Replace("\n", "\r\n", StringComparison.Ordinal)).Should().BeNull("line endings are not an API change");
    }
}
