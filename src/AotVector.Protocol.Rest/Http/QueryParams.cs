using System.Globalization;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;
using Microsoft.AspNetCore.Http;

namespace AotVector.Protocol.Rest.Http;

/// <summary>
/// Query-string parameters: wait, timeout and ordering on writes; timeout and consistency on reads and
/// collection operations. Bad values are 400 "Deserialize error in query parameters: …"; unknown ones are ignored.
/// </summary>
internal static class QueryParams
{
    public static Result<WriteOptions> ReadWriteOptions(IQueryCollection query)
    {
        if (!ReadWait(query, RequestDefaults.Wait).TryGet(out var wait, out var waitError))
        {
            return waitError;
        }

        if (query.TryGetValue("ordering", out var ordering) && ordering.ToString() is not ("weak" or "medium" or "strong"))
        {
            return RequestErrors.QueryParameter("unknown variant `" + ordering + "` for `ordering`, expected one of `weak`, `medium`, `strong`");
        }

        var timeout = ReadTimeout(query);
        return timeout.TryGet(out var t, out var error) ? new WriteOptions(wait, t) : error;
    }

    /// <summary>wait: <c>true</c> or <c>false</c>, <paramref name="defaultValue"/> when absent.</summary>
    public static Result<bool> ReadWait(IQueryCollection query, bool defaultValue)
    {
        if (!query.TryGetValue("wait", out var waitText))
        {
            return defaultValue;
        }

        return waitText.ToString() switch
        {
            "true" => true,
            "false" => false,
            var other => RequestErrors.QueryParameter("invalid value `" + other + "` for `wait`, expected `true` or `false`"),
        };
    }

    /// <summary>Checks the parameters of a read (timeout, consistency); their values do not change a standalone read.</summary>
    public static AvError? CheckReadParams(IQueryCollection query)
    {
        if (query.TryGetValue("consistency", out var consistency))
        {
            var text = consistency.ToString();
            if (text is not ("majority" or "quorum" or "all") && !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return RequestErrors.QueryParameter("invalid value `" + text + "` for `consistency`, expected an integer, `majority`, `quorum` or `all`");
            }
        }

        return ReadTimeout(query).TryGet(out _, out var error) ? null : error;
    }

    /// <summary>timeout: whole seconds, at least 1.</summary>
    public static Result<TimeSpan?> ReadTimeout(IQueryCollection query)
    {
        if (!query.TryGetValue("timeout", out var text))
        {
            return Result<TimeSpan?>.Ok(null);
        }

        if (!ulong.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds == 0 || seconds > int.MaxValue)
        {
            return RequestErrors.QueryParameter("invalid value `" + text + "` for `timeout`, expected a positive integer (seconds)");
        }

        return Result<TimeSpan?>.Ok(TimeSpan.FromSeconds(seconds));
    }
}
