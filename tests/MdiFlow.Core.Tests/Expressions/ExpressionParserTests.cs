using System.Text.Json.Nodes;
using CsCheck;
using MdiFlow.Expressions;
using MdiFlow.Instances;

namespace MdiFlow.Core.Tests.Expressions;

public sealed class ExpressionParserTests
{
    private static readonly WorkflowInstance Instance = new()
    {
        Id = new InstanceId("01jexpr000000000000000000"),
        WorkflowId = "w",
        WorkflowVersion = "1",
        DefinitionHash = "",
        Definition = [],
        Inputs = new JsonObject { ["n"] = 5, ["name"] = "dc01", ["roles"] = new JsonArray("dc", "dns") },
        StepList =
        [
            new StepState { Id = "probe", Uses = "http.probe", Status = StepStatus.Completed, Output = new JsonObject { ["status"] = 200, ["items"] = new JsonArray(1, 2) } },
        ],
    };

    private static readonly BindingScope Scope = new(Instance, secrets: null);

    [Theory]
    [InlineData("inputs.n == 5", true)]
    [InlineData("inputs.n > 5 || inputs.name == 'dc01'", true)]
    [InlineData("!(inputs.n >= 5) && true", false)]
    [InlineData("'dns' in inputs.roles", true)]
    [InlineData("'web' in ['dc', \"dns\"]", false)]
    [InlineData("steps.probe.output.status == 200 && steps.probe.status == 'completed'", true)]
    [InlineData("steps.probe.output.items[1] == 2", true)]
    [InlineData("inputs.missing == null", true)]
    [InlineData("inputs.missing", false)]
    [InlineData("'dc' in inputs.name", true)]
    [InlineData("inputs.n != 5.0", false)]
    [InlineData("-1 < 0", true)]
    public void Conditions_evaluate_as_documented(string text, bool expected) =>
        Conditions.Evaluate(text, Scope).Should().Be(expected);

    [Theory]
    [InlineData("inputs.n ==", "the expression ends where a value was expected (at character 12)")]
    [InlineData("(inputs.n == 1", "')' expected at the end (at character 15)")]
    [InlineData("inputs.n == 'x", "a string is not closed (at character 15)")]
    [InlineData("inputs. == 1", "a name must follow '.' (at character 8)")]
    [InlineData("inputs.n = 1", "unexpected '= 1' (at character 10)")]
    [InlineData("System.IO.File.Delete('x')", "unexpected '('x')' (at character 22)")]
    public void Mistakes_say_what_and_where(string text, string message) =>
        FluentActions.Invoking(() => ExpressionParser.Parse(text)).Should().Throw<ExpressionException>().WithMessage(message);

    [Fact]
    public void Whole_value_bindings_keep_their_json_type_and_mixed_ones_become_text()
    {
        Template.Parse("{{ inputs.n }}").Render(Scope)!.GetValue<int>().Should().Be(5);
        Template.Parse("{{ steps.probe.output.items }}").Render(Scope)!.ToJsonString().Should().Be("[1,2]");
        Template.Parse("host {{ inputs.name }} has {{ inputs.n }} roles {{inputs.roles}}").Render(Scope)!.GetValue<string>()
            .Should().Be("host dc01 has 5 roles [\"dc\",\"dns\"]");
    }

    [Fact]
    public void Comparisons_of_numbers_agree_with_dotnet() =>
        Gen.Select(Gen.Int[-1000, 1000], Gen.Int[-1000, 1000]).Sample((a, b) =>
        {
            var scope = new BindingScope(Instance, secrets: null);
            return Conditions.Evaluate($"{a} < {b}", scope) == (a < b)
                && Conditions.Evaluate($"{a} >= {b} && !({a} == {b})", scope) == (a > b)
                && Conditions.Evaluate($"{a} != {b} || {a} <= {b}", scope) == (a != b || a <= b);
        });

    [Fact]
    public void Arbitrary_text_never_crashes_the_parser_with_anything_but_an_expression_error() =>
        Gen.String.Sample(text =>
        {
            try
            {
                ExpressionParser.Parse(text);
            }
            catch (ExpressionException)
            {
            }
        });

    [Theory]
    [InlineData('(', "nests deeper than 32 levels")]
    [InlineData('[', "nests deeper than 32 levels")]
    [InlineData('!', "nests deeper than 32 levels")]
    public void Deep_nesting_is_an_error_not_a_stack_overflow(char opener, string message)
    {
        FluentActions.Invoking(() => Conditions.Parse(new string(opener, 40) + "true")).Should().Throw<ExpressionException>().WithMessage("*" + message + "*");
        FluentActions.Invoking(() => Conditions.Parse(new string(opener, 100_000))).Should().Throw<ExpressionException>("100,000 of them are refused before any parsing");
        FluentActions.Invoking(() => Template.Parse("{{ " + new string(opener, 3_000) + "x }}")).Should().Throw<ExpressionException>().WithMessage("*nests deeper*");
        FluentActions.Invoking(() => Template.Parse("{{ " + new string(opener, 50_000) + "x }}")).Should().Throw<ExpressionException>();
    }

    [Fact]
    public void A_long_chain_of_operators_is_an_error_so_evaluating_it_never_recurses_deeply()
    {
        FluentActions.Invoking(() => Conditions.Parse(string.Concat(Enumerable.Repeat("true && ", 300)) + "true")).Should().Throw<ExpressionException>().WithMessage("*more than 256 operators*");
        FluentActions.Invoking(() => Conditions.Parse(string.Concat(Enumerable.Repeat("true && ", 100_000)) + "true")).Should().Throw<ExpressionException>().WithMessage("*characters long, more than the 4,096 allowed*");
        Conditions.Parse(string.Concat(Enumerable.Repeat("true && ", 200)) + "true").Evaluate(Scope).Should().NotBeNull();
    }
}
