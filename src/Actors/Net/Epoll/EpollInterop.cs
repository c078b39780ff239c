using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ActorHttp.Net.Epoll;

/// <summary>
/// The three epoll(7) calls, with <c>struct epoll_event</c> laid out by hand: it is packed (12 bytes)
/// on x86-64 and naturally aligned (16 bytes) on arm64, so events live in byte arrays rather than in
/// a struct whose layout would have to differ per architecture. Also eventfd(2), which wakes a loop
/// that sleeps in <c>epoll_wait</c>, and the <c>read</c>/<c>write</c> calls that drive it.
/// </summary>
internal static class EpollInterop
{
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLET = 1u << 31;

    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EINTR = 4;
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    /// <summary>True where this layout is known: Linux on x86-64 or arm64.</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Size of one <c>struct epoll_event</c>.</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static void Write(Span<byte> slot, uint events, ulong data)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(slot, events);
        BinaryPrimitives.WriteUInt64LittleEndian(slot[DataOffset..], data);
    }

    public static uint Events(ReadOnlySpan<byte> slot) => BinaryPrimitives.ReadUInt32LittleEndian(slot);

    public static ulong Data(ReadOnlySpan<byte> slot) => BinaryPrimitives.ReadUInt64LittleEndian(slot[DataOffset..]);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int epoll_ctl(int epfd, int op, int fd, byte[] ev);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int epoll_wait(int epfd, byte[] events, int maxevents, int timeout);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int eventfd(uint initval, int flags);

    /// <summary>Reads an eventfd's 8-byte counter (and resets it).</summary>
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern nint read(int fd, ref ulong value, nint count);

    /// <summary>Adds to an eventfd's 8-byte counter (which makes it readable).</summary>
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern nint write(int fd, ref ulong value, nint count);
}
