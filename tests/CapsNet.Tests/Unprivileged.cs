using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace CapsNet.Tests;

/// <summary>
/// Runs code on a thread of its own whose file-system user is 'nobody' (setfsuid(2) changes only the calling
/// thread): there root's right to read every folder is gone, so a folder made unreadable with chmod 000 is
/// unreadable, as it is for a user. Run as a user, the folder is unreadable anyway.
/// </summary>
internal static class Unprivileged
{
    private const int Nobody = 65534;

    public static T Run<T>(Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            int before = SetFileSystemUser(Nobody);
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                SetFileSystemUser(before);
            }
        });
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }

    [DllImport("libc", EntryPoint = "setfsuid")]
    private static extern int SetFileSystemUser(int user);
}
