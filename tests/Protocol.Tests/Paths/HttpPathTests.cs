using ActorHttp.Protocol;

namespace ActorHttp.Protocol.Tests.Paths;

public class HttpPathTests
{
    // Go's path.Clean table, seen through net/http's cleanPath (leading '/' added, trailing '/' kept).
    public static TheoryData<string, string> CleanCases => new()
    {
        { "", "/" },
        { "/", "/" },
        { "abc", "/abc" },
        { "abc/def", "/abc/def" },
        { "a/b/c", "/a/b/c" },
        { ".", "/" },
        { "..", "/" },
        { "../..", "/" },
        { "../../abc", "/abc" },
        { "/abc", "/abc" },
        { "abc/", "/abc/" },
        { "abc/def/", "/abc/def/" },
        { "//abc", "/abc" },
        { "///abc", "/abc" },
        { "//abc//", "/abc/" },
        { "abc//def//ghi", "/abc/def/ghi" },
        { "abc/./def", "/abc/def" },
        { "/./abc/def", "/abc/def" },
        { "abc/.", "/abc" },
        { "abc/./", "/abc/" },
        { "abc/def/ghi/../jkl", "/abc/def/jkl" },
        { "abc/def/../ghi/../jkl", "/abc/jkl" },
        { "abc/def/..", "/abc" },
        { "abc/def/../..", "/" },
        { "/abc/def/../..", "/" },
        { "abc/def/../../..", "/" },
        { "/abc/def/../../..", "/" },
        { "abc/def/../../../ghi/jkl/../../../mno", "/mno" },
        { "abc/./../def", "/def" },
        { "abc//./../def", "/def" },
        { "abc/../../././../def", "/def" },
        { "/a/../", "/" },
        { "/a/b/../", "/a/" },
        { "/dir/..", "/" },
        { "/dir/./file", "/dir/file" },
        { "/../search", "/search" },
        { "/..a/b..", "/..a/b.." },
        { "/.a/.../", "/.a/.../" },
        // Escaped dots are not dots: Go leaves them for the handler.
        { "/%2e%2e/x", "/%2e%2e/x" },
        { "/a%2F../b", "/a%2F../b" },
    };

    [Theory]
    [MemberData(nameof(CleanCases))]
    public void Clean_matches_go(string input, string expected)
    {
        var cleaned = HttpPath.Clean(input);
        Assert.Equal(expected, cleaned);
        Assert.Equal(input == expected, HttpPath.IsClean(input));
        // Cleaning is idempotent and the second pass takes the fast path.
        Assert.Same(cleaned, HttpPath.Clean(cleaned));
    }

    [Fact]
    public void Clean_path_is_returned_without_allocating()
    {
        const string path = "/api/v1/users/42/";
        HttpPath.Clean(path); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = HttpPath.Clean(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Same(path, result);
        Assert.Equal(0, allocated);
    }
}
