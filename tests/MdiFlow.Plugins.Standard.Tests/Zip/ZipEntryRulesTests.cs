using CsCheck;
using MdiFlow.Plugins.Standard.Zip;

namespace MdiFlow.Plugins.Standard.Tests.Zip;

public sealed class ZipEntryRulesTests
{
    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("a/../../evil.txt")]
    [InlineData("..\\evil.txt")]
    [InlineData("a\\..\\..\\evil.txt")]
    [InlineData("/abs.txt")]
    [InlineData("\\abs.txt")]
    [InlineData("\\\\server\\share\\x.txt")]
    [InlineData("//server/share/x.txt")]
    [InlineData("C:\\x.txt")]
    [InlineData("C:x.txt")]
    [InlineData("c:/x.txt")]
    [InlineData("file.txt:hidden")]
    [InlineData("a/.../x.txt")]
    [InlineData("a/.. /x.txt")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Refuses_names_that_could_land_outside_the_destination(string name) =>
        ZipEntryRules.SafeRelativePath(name, out var reason).Should().BeNull(because: "{0} is hostile", name);

    [Theory]
    [InlineData("setup.exe", "setup.exe")]
    [InlineData("bin/tool.dll", "bin/tool.dll")]
    [InlineData("bin\\tool.dll", "bin/tool.dll")]
    [InlineData("./bin//tool.dll", "bin/tool.dll")]
    [InlineData("docs/", "docs")]
    [InlineData("./", "")]
    [InlineData("a..b/..c/d..", "a..b/..c/d..")]
    [InlineData(".hidden", ".hidden")]
    public void Keeps_ordinary_names_with_forward_slashes(string name, string expected) =>
        ZipEntryRules.SafeRelativePath(name, out _).Should().Be(expected);

    [Fact]
    public void Explains_why_a_name_is_refused()
    {
        ZipEntryRules.SafeRelativePath("../x", out var parent);
        ZipEntryRules.SafeRelativePath("/x", out var absolute);
        ZipEntryRules.SafeRelativePath("C:x", out var drive);

        parent.Should().Be("it climbs to a parent folder");
        absolute.Should().Be("it is an absolute or network (UNC) path");
        drive.Should().Be("it names a drive or an NTFS stream");
    }

    [Fact]
    public void Every_accepted_name_resolves_inside_the_destination()
    {
        var root = Path.GetFullPath(Path.Join(Path.GetTempPath(), "dest"));
        Gen.Char["a./\\: C"].Array[0, 14].Select(chars => new string(chars)).Sample(name =>
        {
            var relative = ZipEntryRules.SafeRelativePath(name, out _);
            if (relative is null or "")
            {
                return;
            }

            relative.Split('/').Should().NotContain(s => s.Trim('.', ' ').Length == 0);
            var full = Path.GetFullPath(Path.Join(root, relative));
            full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal).Should().BeTrue(because: "'{0}' became '{1}'", name, full);
        });
    }

    [Theory]
    [InlineData(10_000_000, 10_000, true)]
    [InlineData(10_000_000, 100_000, false)]
    [InlineData(100_000, 10, false)]
    [InlineData(2_000_000, 0, true)]
    [InlineData(0, 0, false)]
    public void Checks_the_ratio_only_of_entries_big_enough_to_matter(long uncompressed, long compressed, bool exceeds) =>
        ZipEntryRules.RatioExceeds(uncompressed, compressed, new ZipExtractOptions()).Should().Be(exceeds);

    [Theory]
    [InlineData(512, "512 bytes")]
    [InlineData(3 * 1024 * 1024, "3 MiB (3,145,728 bytes)")]
    [InlineData(2L * 1024 * 1024 * 1024, "2 GiB (2,147,483,648 bytes)")]
    public void Formats_sizes_for_people(long bytes, string expected) =>
        ZipEntryRules.Bytes(bytes).Should().Be(expected);
}
