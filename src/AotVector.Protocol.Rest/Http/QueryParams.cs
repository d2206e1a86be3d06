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

        var ordering = WriteOrdering.Weak;
        if (query.TryGetValue("ordering", out var orderingText))
        {
            switch (orderingText.ToString())
            {
                case "weak":
                    break;
                case "medium":
                    ordering = WriteOrdering.Medium;
                    break;
                case "strong":
                    ordering = WriteOrdering.Strong;
                    break;
                default:
                    return RequestErrors.QueryParameter("unknown variant `" + orderingText + "` for `ordering`, expected one of `weak`, `medium`, `strong`");
            }
        }

        var timeout = ReadTimeout(query);
        return timeout.TryGet(out var t, out var error) ? new WriteOptions(wait, t) { Ordering = ordering } : error;
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

    /// <summary>Checks the parameters of a read (timeout, consistency).</summary>
    public static AvError? CheckReadParams(IQueryCollection query)
    {
        if (!ReadConsistencyParam(query).TryGet(out _, out var consistencyError))
        {
            return consistencyError;
        }

        return ReadTimeout(query).TryGet(out _, out var error) ? null : error;
    }

    /// <summary>consistency: a positive integer, <c>majority</c>, <c>quorum</c> or <c>all</c>; one replica when absent.</summary>
    public static Result<ReadConsistency> ReadConsistencyParam(IQueryCollection query)
    {
        if (!query.TryGetValue("consistency", out var consistency))
        {
            return ReadConsistency.One;
        }

        var text = consistency.ToString();
        switch (text)
        {
            case "majority":
                return new ReadConsistency(ReadConsistencyKind.Majority);
            case "quorum":
                return new ReadConsistency(ReadConsistencyKind.Quorum);
            case "all":
                return new ReadConsistency(ReadConsistencyKind.All);
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var factor)
            ? ReadConsistency.OfFactor((int)Math.Min(factor, int.MaxValue))
            : RequestErrors.QueryParameter("invalid value `" + text + "` for `consistency`, expected an integer, `majority`, `quorum` or `all`");
    }

    /// <summary>The options of a read whose parameters were checked (<see cref="CheckReadParams"/>).</summary>
    public static ReadOptions ReadOptionsOf(IQueryCollection query) =>
        new(ReadTimeout(query).Value) { Consistency = ReadConsistencyParam(query).Value };

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
