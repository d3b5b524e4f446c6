--[[
reliable-msg.lua: a Wireshark dissector for the reliable-msg wire format.

  Header version 1, protocol revision 5 (docs/PROTOCOL.md, sections 1, 7, 12 and 13;
  io.reliablemsg.wire.WireFormat, DatagramReader and FrameAuthenticator).

Install: copy this file into Wireshark's personal Lua plugins folder (Help > About Wireshark >
Folders > "Personal Lua Plugins"; on Linux ~/.local/lib/wireshark/plugins/, on Windows
%APPDATA%\Wireshark\plugins\) and restart Wireshark, or load it for one run:
    tshark -X lua_script:tools/wireshark/reliable-msg.lua -r capture.pcapng
Filter with "reliable_msg"; every field below is "reliable_msg.*".

What it shows:
  * the 20-byte header (magic, version, flags, client id, incarnation, frame count, reserved);
  * every frame of version 1 (DATA, ACK, PING, PONG) with its fields, units in the field names,
    and each epoch-millisecond timestamp also as an absolute UTC time;
  * optional frames (types 0x40-0x7F: type, flags, body length, body), CAPABILITIES (0x40:
    answer requested, protocol revision, feature bits), REQUEST (0x41: transmissions, message id,
    send time, payload) and REPLY (0x42: no-reply flag, origin client id and incarnation, message
    id, echoed send time, reply time, reply bytes), FRAGMENT (0x43: transmissions, message id, send
    time, message length, fragment index and count, offset, data), FRAGMENT_ACK (0x44: origin
    client id and incarnation, message id, echoed send time, ack time, fragment index) and
    TRACE_CONTEXT (0x45: message id, the W3C traceparent it makes, trace id, parent span id, flags,
    tracestate);
  * the authentication trailer (header flags bit 0: key id, 16-byte truncated HMAC-SHA256; the
    MAC is shown, not verified: the dissector has no keys);
  * what a reader of this release does with the datagram ("reliable_msg.reader_outcome":
    "accepted", or "dropped: <DecodeError>" with the same error names and the same checks, in the
    same order, as DatagramReader.validate);
  * expert info: a retransmitted DATA copy (transmissions > 1), a malformed datagram (bad magic,
    version, flags, reserved fields, lengths, trailing bytes), an unknown optional frame (skipped
    by length) and an unknown core or reserved frame type (the datagram is dropped by readers).

Found by a heuristic on UDP (magic "RM" and version 1 at the start of the payload; on by
default), and on the UDP ports of the preference "UDP ports" (Edit > Preferences > Protocols >
reliable-msg, or -o reliable_msg.udp_ports:7001-7002), which also decodes datagrams the heuristic
rejects (another version, bad magic) so that they are shown as malformed. "Decode As..." works too.

Extending it: this file follows the wire format. An issue that adds a frame type, an optional
frame, a feature bit, a flag or a header version extends this dissector in the same change (a
table entry below and a dissect_* function) and its test, sample-app's WiresharkDissectorIT.
]]

local proto = Proto("reliable_msg", "reliable-msg reliable UDP messaging")

local MAGIC = 0x524D
local VERSION = 1
local HEADER_LENGTH = 20
local FLAG_AUTHENTICATED = 0x01
local TRAILER_LENGTH = 17 -- key id u8 + MAC
local MAC_LENGTH = 16
local OPTIONAL_HEAD_LENGTH = 4
local CAPABILITIES_BODY_LENGTH = 12
local REQUEST_MIN_BODY_LENGTH, REPLY_MIN_BODY_LENGTH = 20, 36
local REPLY_FLAG_NO_REPLY = 0x01
local FRAGMENT_MIN_BODY_LENGTH, FRAGMENT_ACK_BODY_LENGTH = 36, 40
local TRACE_CONTEXT_MIN_BODY_LENGTH = 36

local TYPE_DATA, TYPE_ACK, TYPE_PING, TYPE_PONG, TYPE_CAPABILITIES = 1, 2, 3, 4, 0x40
local TYPE_REQUEST, TYPE_REPLY = 0x41, 0x42
local TYPE_FRAGMENT, TYPE_FRAGMENT_ACK = 0x43, 0x44
local TYPE_TRACE_CONTEXT = 0x45
local DATA_HEADER_LENGTH, ACK_LENGTH, PING_LENGTH, PONG_LENGTH = 24, 40, 16, 24

local frame_type_names = {
    [TYPE_DATA] = "DATA",
    [TYPE_ACK] = "ACK",
    [TYPE_PING] = "PING",
    [TYPE_PONG] = "PONG",
    [TYPE_CAPABILITIES] = "CAPABILITIES",
    [TYPE_REQUEST] = "REQUEST",
    [TYPE_REPLY] = "REPLY",
    [TYPE_FRAGMENT] = "FRAGMENT",
    [TYPE_FRAGMENT_ACK] = "FRAGMENT_ACK",
    [TYPE_TRACE_CONTEXT] = "TRACE_CONTEXT",
}

--- Range of a frame type, from its two high bits (docs/PROTOCOL.md, 7.2).
local function type_range(frame_type)
    if frame_type < 0x40 then
        return "core"
    elseif frame_type < 0x80 then
        return "optional"
    end
    return "reserved"
end

local function frame_type_name(frame_type)
    return frame_type_names[frame_type] or ("unknown " .. type_range(frame_type) .. string.format(" 0x%02x", frame_type))
end

local feature_names = {
    [0] = "optional frames (reads them, skips unknown ones by length)",
    [1] = "request/reply (reads REQUEST and REPLY)",
    [2] = "fragments (reads FRAGMENT and FRAGMENT_ACK, reassembles messages larger than a datagram)",
    [3] = "trace context (reads TRACE_CONTEXT, hands the W3C trace context to the handler)",
}

-- Fields -------------------------------------------------------------------------------------

local f = {
    magic = ProtoField.uint16("reliable_msg.magic", "Magic", base.HEX),
    version = ProtoField.uint8("reliable_msg.version", "Header version", base.DEC),
    flags = ProtoField.uint8("reliable_msg.flags", "Flags", base.HEX),
    flag_authenticated = ProtoField.bool("reliable_msg.flags.authenticated", "Authentication trailer follows",
        8, nil, FLAG_AUTHENTICATED),
    flag_unknown = ProtoField.uint8("reliable_msg.flags.unknown", "Undefined flag bits", base.HEX, nil, 0xFE),
    client_id = ProtoField.uint32("reliable_msg.client_id", "Client id", base.DEC),
    incarnation = ProtoField.uint64("reliable_msg.incarnation", "Incarnation", base.HEX),
    frame_count = ProtoField.uint16("reliable_msg.frame_count", "Frame count", base.DEC),
    header_reserved = ProtoField.uint16("reliable_msg.reserved", "Reserved", base.HEX),
    reader_outcome = ProtoField.string("reliable_msg.reader_outcome", "Reader outcome"),

    frame = ProtoField.none("reliable_msg.frame", "Frame"),
    frame_type = ProtoField.uint8("reliable_msg.frame.type", "Frame type", base.HEX, frame_type_names),
    frame_range = ProtoField.string("reliable_msg.frame.range", "Type range"),
    frame_length = ProtoField.uint32("reliable_msg.frame.length", "Frame length (bytes)", base.DEC),
    frame_reserved = ProtoField.uint16("reliable_msg.frame.reserved", "Reserved", base.HEX),
    frame_transmissions = ProtoField.uint8("reliable_msg.frame.transmissions", "Transmissions", base.DEC),

    data_transmissions = ProtoField.uint8("reliable_msg.data.transmissions", "Transmissions (1 = first send)", base.DEC),
    data_payload_length = ProtoField.uint32("reliable_msg.data.payload_length", "Payload length (bytes)", base.DEC),
    data_msg_id = ProtoField.uint64("reliable_msg.data.msg_id", "Message id", base.DEC),
    data_send_time = ProtoField.uint64("reliable_msg.data.send_time", "Send time (epoch ms, sender's clock)", base.DEC),
    data_send_time_abs = ProtoField.absolute_time("reliable_msg.data.send_time_abs", "Send time", base.UTC),
    data_payload = ProtoField.bytes("reliable_msg.data.payload", "Payload"),

    ack_transmissions = ProtoField.uint8("reliable_msg.ack.transmissions", "Transmissions of the copy acked", base.DEC),
    ack_origin_client_id = ProtoField.uint32("reliable_msg.ack.origin_client_id", "Origin client id", base.DEC),
    ack_origin_incarnation = ProtoField.uint64("reliable_msg.ack.origin_incarnation", "Origin incarnation", base.HEX),
    ack_msg_id = ProtoField.uint64("reliable_msg.ack.msg_id", "Message id", base.DEC),
    ack_echoed_send_time = ProtoField.uint64("reliable_msg.ack.echoed_send_time",
        "Echoed send time (epoch ms, data sender's clock)", base.DEC),
    ack_echoed_send_time_abs = ProtoField.absolute_time("reliable_msg.ack.echoed_send_time_abs", "Echoed send time", base.UTC),
    ack_time = ProtoField.uint64("reliable_msg.ack.ack_time", "Ack time (epoch ms, receiver's clock)", base.DEC),
    ack_time_abs = ProtoField.absolute_time("reliable_msg.ack.ack_time_abs", "Ack time", base.UTC),

    heartbeat_one = ProtoField.uint8("reliable_msg.heartbeat.one", "Transmissions (always 1)", base.DEC),
    heartbeat_reserved = ProtoField.uint32("reliable_msg.heartbeat.reserved", "Reserved", base.HEX),
    ping_send_time = ProtoField.uint64("reliable_msg.ping.send_time", "Send time (epoch ms, sender's clock)", base.DEC),
    ping_send_time_abs = ProtoField.absolute_time("reliable_msg.ping.send_time_abs", "Send time", base.UTC),
    pong_echoed_send_time = ProtoField.uint64("reliable_msg.pong.echoed_send_time",
        "Echoed ping send time (epoch ms, pinger's clock)", base.DEC),
    pong_echoed_send_time_abs = ProtoField.absolute_time("reliable_msg.pong.echoed_send_time_abs",
        "Echoed ping send time", base.UTC),
    pong_time = ProtoField.uint64("reliable_msg.pong.pong_time", "Pong time (epoch ms, answering peer's clock)", base.DEC),
    pong_time_abs = ProtoField.absolute_time("reliable_msg.pong.pong_time_abs", "Pong time", base.UTC),

    optional_flags = ProtoField.uint8("reliable_msg.optional.flags", "Flags", base.HEX),
    optional_body_length = ProtoField.uint16("reliable_msg.optional.body_length", "Body length (bytes)", base.DEC),
    optional_body = ProtoField.bytes("reliable_msg.optional.body", "Body"),

    capabilities_answer_requested = ProtoField.bool("reliable_msg.capabilities.answer_requested",
        "Answer requested (a probe)", 8, nil, 0x01),
    capabilities_revision = ProtoField.uint16("reliable_msg.capabilities.revision", "Protocol revision", base.DEC),
    capabilities_reserved = ProtoField.uint16("reliable_msg.capabilities.reserved", "Reserved (ignored)", base.HEX),
    capabilities_features = ProtoField.uint64("reliable_msg.capabilities.features", "Feature bits", base.HEX),
    capabilities_feature = ProtoField.string("reliable_msg.capabilities.feature", "Feature"),
    capabilities_extra = ProtoField.bytes("reliable_msg.capabilities.extra", "Body bytes of a later revision (ignored)"),

    request_transmissions = ProtoField.uint8("reliable_msg.request.transmissions", "Transmissions (1 = first send)",
        base.DEC),
    request_reserved = ProtoField.bytes("reliable_msg.request.reserved", "Reserved (ignored)"),
    request_msg_id = ProtoField.uint64("reliable_msg.request.msg_id", "Message id", base.DEC),
    request_send_time = ProtoField.uint64("reliable_msg.request.send_time", "Send time (epoch ms, requester's clock)",
        base.DEC),
    request_send_time_abs = ProtoField.absolute_time("reliable_msg.request.send_time_abs", "Send time", base.UTC),
    request_payload = ProtoField.bytes("reliable_msg.request.payload", "Payload"),

    reply_no_reply = ProtoField.bool("reliable_msg.reply.no_reply", "No reply (handler failed or reply no longer held)",
        8, nil, REPLY_FLAG_NO_REPLY),
    reply_origin_client_id = ProtoField.uint32("reliable_msg.reply.origin_client_id", "Origin client id", base.DEC),
    reply_origin_incarnation = ProtoField.uint64("reliable_msg.reply.origin_incarnation", "Origin incarnation",
        base.HEX),
    reply_msg_id = ProtoField.uint64("reliable_msg.reply.msg_id", "Message id of the request", base.DEC),
    reply_echoed_send_time = ProtoField.uint64("reliable_msg.reply.echoed_send_time",
        "Echoed send time (epoch ms, requester's clock)", base.DEC),
    reply_echoed_send_time_abs = ProtoField.absolute_time("reliable_msg.reply.echoed_send_time_abs",
        "Echoed send time", base.UTC),
    reply_time = ProtoField.uint64("reliable_msg.reply.reply_time", "Reply time (epoch ms, responder's clock)", base.DEC),
    reply_time_abs = ProtoField.absolute_time("reliable_msg.reply.reply_time_abs", "Reply time", base.UTC),
    reply_bytes = ProtoField.bytes("reliable_msg.reply.bytes", "Reply"),

    fragment_transmissions = ProtoField.uint8("reliable_msg.fragment.transmissions",
        "Transmissions of the message (1 = first send)", base.DEC),
    fragment_reserved = ProtoField.bytes("reliable_msg.fragment.reserved", "Reserved (ignored)"),
    fragment_msg_id = ProtoField.uint64("reliable_msg.fragment.msg_id", "Message id", base.DEC),
    fragment_send_time = ProtoField.uint64("reliable_msg.fragment.send_time", "Send time (epoch ms, sender's clock)",
        base.DEC),
    fragment_send_time_abs = ProtoField.absolute_time("reliable_msg.fragment.send_time_abs", "Send time", base.UTC),
    fragment_message_length = ProtoField.uint32("reliable_msg.fragment.message_length",
        "Message length, all fragments (bytes)", base.DEC),
    fragment_index = ProtoField.uint32("reliable_msg.fragment.index", "Fragment index (from 0)", base.DEC),
    fragment_count = ProtoField.uint32("reliable_msg.fragment.count", "Fragment count", base.DEC),
    fragment_offset = ProtoField.uint32("reliable_msg.fragment.offset", "Offset in the message (bytes)", base.DEC),
    fragment_data = ProtoField.bytes("reliable_msg.fragment.data", "Data"),

    fragment_ack_origin_client_id = ProtoField.uint32("reliable_msg.fragment_ack.origin_client_id",
        "Origin client id", base.DEC),
    fragment_ack_origin_incarnation = ProtoField.uint64("reliable_msg.fragment_ack.origin_incarnation",
        "Origin incarnation", base.HEX),
    fragment_ack_msg_id = ProtoField.uint64("reliable_msg.fragment_ack.msg_id", "Message id", base.DEC),
    fragment_ack_echoed_send_time = ProtoField.uint64("reliable_msg.fragment_ack.echoed_send_time",
        "Echoed send time (epoch ms, message sender's clock)", base.DEC),
    fragment_ack_echoed_send_time_abs = ProtoField.absolute_time("reliable_msg.fragment_ack.echoed_send_time_abs",
        "Echoed send time", base.UTC),
    fragment_ack_time = ProtoField.uint64("reliable_msg.fragment_ack.ack_time", "Ack time (epoch ms, receiver's clock)",
        base.DEC),
    fragment_ack_time_abs = ProtoField.absolute_time("reliable_msg.fragment_ack.ack_time_abs", "Ack time", base.UTC),
    fragment_ack_index = ProtoField.uint32("reliable_msg.fragment_ack.index", "Fragment index acked", base.DEC),

    trace_msg_id = ProtoField.uint64("reliable_msg.trace_context.msg_id", "Message id", base.DEC),
    trace_version = ProtoField.uint8("reliable_msg.trace_context.version", "Traceparent version", base.HEX),
    trace_flags = ProtoField.uint8("reliable_msg.trace_context.flags", "Trace flags", base.HEX),
    trace_sampled = ProtoField.bool("reliable_msg.trace_context.sampled", "Sampled", 8, nil, 0x01),
    trace_state_length = ProtoField.uint16("reliable_msg.trace_context.tracestate_length",
        "Tracestate length (bytes)", base.DEC),
    trace_id = ProtoField.bytes("reliable_msg.trace_context.trace_id", "Trace id"),
    trace_span_id = ProtoField.bytes("reliable_msg.trace_context.parent_span_id", "Parent span id"),
    traceparent = ProtoField.string("reliable_msg.trace_context.traceparent", "traceparent"),
    tracestate = ProtoField.string("reliable_msg.trace_context.tracestate", "tracestate"),
    trace_extra = ProtoField.bytes("reliable_msg.trace_context.extra", "Body bytes of a later revision (ignored)"),

    auth = ProtoField.none("reliable_msg.auth", "Authentication trailer"),
    auth_key_id = ProtoField.uint8("reliable_msg.auth.key_id", "Key id", base.DEC),
    auth_mac = ProtoField.bytes("reliable_msg.auth.mac", "MAC (HMAC-SHA256, first 16 bytes; not verified)"),

    undecoded = ProtoField.bytes("reliable_msg.undecoded", "Bytes not decoded"),
}

local field_list = {}
for _, field in pairs(f) do
    field_list[#field_list + 1] = field
end
proto.fields = field_list

local e = {
    retransmission = ProtoExpert.new("reliable_msg.retransmission", "Retransmitted copy (transmissions > 1)",
        expert.group.SEQUENCE, expert.severity.NOTE),
    malformed = ProtoExpert.new("reliable_msg.malformed", "Malformed datagram: readers drop it",
        expert.group.MALFORMED, expert.severity.ERROR),
    unknown_optional = ProtoExpert.new("reliable_msg.unknown_optional",
        "Unknown optional frame type: skipped by length", expert.group.UNDECODED, expert.severity.NOTE),
    unknown_core = ProtoExpert.new("reliable_msg.unknown_core",
        "Unknown core or reserved frame type: datagram dropped by readers", expert.group.MALFORMED,
        expert.severity.ERROR),
}
proto.experts = { e.retransmission, e.malformed, e.unknown_optional, e.unknown_core }

proto.prefs.udp_ports = Pref.range("UDP ports", "",
    "UDP ports always decoded as reliable-msg, even when the heuristic would reject the datagram", 65535)
proto.prefs.heuristic = Pref.bool("Heuristic on UDP", true,
    "Find reliable-msg on any UDP port by its magic \"RM\" and version 1")

-- Helpers ------------------------------------------------------------------------------------

--- Adds an epoch-milliseconds u64 at tvb(offset, 8) as its raw value and as a generated absolute time.
local function add_epoch_ms(tree, tvb, offset, raw_field, abs_field)
    local range = tvb(offset, 8)
    tree:add(raw_field, range)
    local ms = range:uint64():tonumber()
    local seconds = math.floor(ms / 1000)
    tree:add(abs_field, range, NSTime.new(seconds, (ms - seconds * 1000) * 1000000)):set_generated()
end

--- The dissection of one datagram: the first reader error wins, as in DatagramReader.validate.
local Datagram = {}
Datagram.__index = Datagram

local function new_datagram(tvb, pinfo, tree)
    return setmetatable({ tvb = tvb, pinfo = pinfo, tree = tree, error = nil, summary = {} }, Datagram)
end

--- Records a reader error (the first one is the outcome) with a malformed expert on item.
function Datagram:reject(item, decode_error, text)
    if self.error == nil then
        self.error = decode_error
    end
    item:add_proto_expert_info(e.malformed, decode_error .. ": " .. text)
end

function Datagram:note(text)
    self.summary[#self.summary + 1] = text
end

-- Frames -------------------------------------------------------------------------------------
-- Each dissect_* gets the frame's subtree and its offset, may read up to `limit` (the end of the
-- frames), and returns the frame's length, or nil when the length cannot be known (the rest of
-- the datagram is then not decoded).

--- The common head of core frames 1-4: type, transmissions (never 0), reserved u16 (0).
function Datagram:core_head(frame_tree, offset, transmissions_field)
    local tvb = self.tvb
    local transmissions = tvb(offset + 1, 1):uint()
    local transmissions_item = frame_tree:add(transmissions_field, tvb(offset + 1, 1))
    local reserved_item = frame_tree:add(f.frame_reserved, tvb(offset + 2, 2))
    if tvb(offset + 2, 2):uint() ~= 0 then
        self:reject(reserved_item, "BAD_FIELD", "reserved field of a core frame is not 0")
    elseif transmissions == 0 then
        self:reject(transmissions_item, "BAD_FIELD", "transmission count 0")
    end
    return transmissions, transmissions_item
end

function Datagram:truncated(frame_tree, offset, limit, needed, what)
    if limit - offset < needed then
        self:reject(frame_tree, "TRUNCATED", what .. " needs " .. needed .. " bytes, " .. (limit - offset) .. " left")
        if limit > offset then
            frame_tree:add(f.undecoded, self.tvb(offset, limit - offset))
        end
        return true
    end
    return false
end

function Datagram:dissect_data(frame_tree, offset, limit)
    local tvb = self.tvb
    local transmissions, transmissions_item = self:core_head(frame_tree, offset, f.data_transmissions)
    if self:truncated(frame_tree, offset, limit, DATA_HEADER_LENGTH, "DATA frame") then
        return nil
    end
    local length = tvb(offset + 4, 4):uint()
    local length_item = frame_tree:add(f.data_payload_length, tvb(offset + 4, 4))
    local msg_id = tvb(offset + 8, 8):uint64()
    frame_tree:add(f.data_msg_id, tvb(offset + 8, 8))
    add_epoch_ms(frame_tree, tvb, offset + 16, f.data_send_time, f.data_send_time_abs)
    if transmissions > 1 then
        transmissions_item:add_proto_expert_info(e.retransmission,
            "Retransmitted copy of message " .. tostring(msg_id) .. ": transmission " .. transmissions)
    end
    self:note("DATA " .. tostring(msg_id) .. (transmissions > 1 and (" (copy " .. transmissions .. ")") or ""))
    if length > limit - offset - DATA_HEADER_LENGTH then
        self:reject(length_item, "TRUNCATED", "payload of " .. length .. " bytes runs past the end ("
            .. (limit - offset - DATA_HEADER_LENGTH) .. " left)")
        if limit > offset + DATA_HEADER_LENGTH then
            frame_tree:add(f.undecoded, tvb(offset + DATA_HEADER_LENGTH, limit - offset - DATA_HEADER_LENGTH))
        end
        return nil
    end
    if length > 0 then
        frame_tree:add(f.data_payload, tvb(offset + DATA_HEADER_LENGTH, length))
    end
    frame_tree:append_text(": message " .. tostring(msg_id) .. ", " .. length .. " bytes, transmission " .. transmissions)
    return DATA_HEADER_LENGTH + length
end

function Datagram:dissect_ack(frame_tree, offset, limit)
    local tvb = self.tvb
    local transmissions = self:core_head(frame_tree, offset, f.ack_transmissions)
    if self:truncated(frame_tree, offset, limit, ACK_LENGTH, "ACK frame") then
        return nil
    end
    frame_tree:add(f.ack_origin_client_id, tvb(offset + 4, 4))
    frame_tree:add(f.ack_origin_incarnation, tvb(offset + 8, 8))
    local msg_id = tvb(offset + 16, 8):uint64()
    frame_tree:add(f.ack_msg_id, tvb(offset + 16, 8))
    add_epoch_ms(frame_tree, tvb, offset + 24, f.ack_echoed_send_time, f.ack_echoed_send_time_abs)
    add_epoch_ms(frame_tree, tvb, offset + 32, f.ack_time, f.ack_time_abs)
    frame_tree:append_text(": message " .. tostring(msg_id) .. " of client " .. tvb(offset + 4, 4):uint()
        .. ", transmission " .. transmissions)
    self:note("ACK " .. tostring(msg_id))
    return ACK_LENGTH
end

function Datagram:dissect_heartbeat(frame_tree, offset, limit, frame_type)
    local tvb = self.tvb
    self:core_head(frame_tree, offset, f.heartbeat_one)
    local length = frame_type == TYPE_PING and PING_LENGTH or PONG_LENGTH
    local name = frame_type == TYPE_PING and "PING" or "PONG"
    if self:truncated(frame_tree, offset, limit, length, name .. " frame") then
        return nil
    end
    local reserved_item = frame_tree:add(f.heartbeat_reserved, tvb(offset + 4, 4))
    if tvb(offset + 4, 4):uint() ~= 0 then
        self:reject(reserved_item, "BAD_FIELD", "reserved field of a " .. name .. " frame is not 0")
    end
    if frame_type == TYPE_PING then
        add_epoch_ms(frame_tree, tvb, offset + 8, f.ping_send_time, f.ping_send_time_abs)
    else
        add_epoch_ms(frame_tree, tvb, offset + 8, f.pong_echoed_send_time, f.pong_echoed_send_time_abs)
        add_epoch_ms(frame_tree, tvb, offset + 16, f.pong_time, f.pong_time_abs)
    end
    self:note(name)
    return length
end

--- CAPABILITIES body: revision u16, reserved u16 (ignored), feature bits u64, then bytes of later revisions.
function Datagram:dissect_capabilities(frame_tree, offset, body_length)
    local tvb = self.tvb
    local body = offset + OPTIONAL_HEAD_LENGTH
    if body_length < CAPABILITIES_BODY_LENGTH then
        self:reject(frame_tree, "BAD_FIELD", "CAPABILITIES body of " .. body_length .. " bytes, fewer than its "
            .. CAPABILITIES_BODY_LENGTH)
        if body_length > 0 then
            frame_tree:add(f.optional_body, tvb(body, body_length))
        end
        return
    end
    local revision = tvb(body, 2):uint()
    frame_tree:add(f.capabilities_revision, tvb(body, 2))
    frame_tree:add(f.capabilities_reserved, tvb(body + 2, 2))
    local features_item = frame_tree:add(f.capabilities_features, tvb(body + 4, 8))
    -- bits 0-31 are in the last four bytes; bits 0 and 1 are assigned (docs/PROTOCOL.md, 7.4)
    local low = tvb(body + 8, 4):uint()
    for bit_number = 0, 31 do
        if math.floor(low / 2 ^ bit_number) % 2 == 1 then
            features_item:add(f.capabilities_feature, tvb(body + 4, 8),
                "bit " .. bit_number .. ": " .. (feature_names[bit_number] or "unknown (ignored by this revision)"))
        end
    end
    if tvb(body + 4, 4):uint() ~= 0 then
        features_item:add(f.capabilities_feature, tvb(body + 4, 4), "bits 32-63: unknown (ignored by this revision)")
    end
    if body_length > CAPABILITIES_BODY_LENGTH then
        frame_tree:add(f.capabilities_extra, tvb(body + CAPABILITIES_BODY_LENGTH, body_length - CAPABILITIES_BODY_LENGTH))
    end
    local probe = tvb(offset + 1, 1):uint() % 2 == 1
    frame_tree:append_text(": revision " .. revision .. (probe and ", answer requested" or ""))
    self:note("CAPABILITIES r" .. revision .. (probe and " probe" or ""))
end

--- A body shorter than the fields of its type: BAD_FIELD, as DatagramReader.checkOptionalFrame.
function Datagram:short_body(frame_tree, offset, body_length, fewest, name)
    if body_length >= fewest then
        return false
    end
    self:reject(frame_tree, "BAD_FIELD", name .. " body of " .. body_length .. " bytes, fewer than its " .. fewest)
    if body_length > 0 then
        frame_tree:add(f.optional_body, self.tvb(offset + OPTIONAL_HEAD_LENGTH, body_length))
    end
    return true
end

--- REQUEST body: transmissions u8, 3 reserved bytes (ignored), message id u64, send time u64, payload.
function Datagram:dissect_request(frame_tree, offset, body_length)
    local tvb = self.tvb
    if self:short_body(frame_tree, offset, body_length, REQUEST_MIN_BODY_LENGTH, "REQUEST") then
        return
    end
    local transmissions = tvb(offset + 4, 1):uint()
    local transmissions_item = frame_tree:add(f.request_transmissions, tvb(offset + 4, 1))
    frame_tree:add(f.request_reserved, tvb(offset + 5, 3))
    local msg_id = tvb(offset + 8, 8):uint64()
    frame_tree:add(f.request_msg_id, tvb(offset + 8, 8))
    add_epoch_ms(frame_tree, tvb, offset + 16, f.request_send_time, f.request_send_time_abs)
    local length = body_length - REQUEST_MIN_BODY_LENGTH
    if length > 0 then
        frame_tree:add(f.request_payload, tvb(offset + 24, length))
    end
    if transmissions > 1 then
        transmissions_item:add_proto_expert_info(e.retransmission,
            "Retransmitted copy of request " .. tostring(msg_id) .. ": transmission " .. transmissions)
    end
    frame_tree:append_text(": message " .. tostring(msg_id) .. ", " .. length .. " bytes, transmission " .. transmissions)
    self:note("REQUEST " .. tostring(msg_id) .. (transmissions > 1 and (" (copy " .. transmissions .. ")") or ""))
end

--- REPLY body: origin client id u32, origin incarnation u64, message id u64, echoed send time u64, reply time u64, reply.
function Datagram:dissect_reply(frame_tree, offset, body_length)
    local tvb = self.tvb
    if self:short_body(frame_tree, offset, body_length, REPLY_MIN_BODY_LENGTH, "REPLY") then
        return
    end
    frame_tree:add(f.reply_origin_client_id, tvb(offset + 4, 4))
    frame_tree:add(f.reply_origin_incarnation, tvb(offset + 8, 8))
    local msg_id = tvb(offset + 16, 8):uint64()
    frame_tree:add(f.reply_msg_id, tvb(offset + 16, 8))
    add_epoch_ms(frame_tree, tvb, offset + 24, f.reply_echoed_send_time, f.reply_echoed_send_time_abs)
    add_epoch_ms(frame_tree, tvb, offset + 32, f.reply_time, f.reply_time_abs)
    local length = body_length - REPLY_MIN_BODY_LENGTH
    if length > 0 then
        frame_tree:add(f.reply_bytes, tvb(offset + 40, length))
    end
    local no_reply = tvb(offset + 1, 1):uint() % 2 == 1
    frame_tree:append_text(": to message " .. tostring(msg_id) .. " of client " .. tvb(offset + 4, 4):uint()
        .. (no_reply and ", no reply" or (", " .. length .. " bytes")))
    self:note("REPLY " .. tostring(msg_id) .. (no_reply and " (no reply)" or ""))
end

--- FRAGMENT body: transmissions u8, 3 reserved bytes (ignored), message id u64, send time u64, message length u32,
--- fragment index u32, fragment count u32, offset u32, data. Its fields are checked against each other as
--- DatagramReader.checkFragment does (BAD_FIELD).
function Datagram:dissect_fragment(frame_tree, offset, body_length)
    local tvb = self.tvb
    if self:short_body(frame_tree, offset, body_length, FRAGMENT_MIN_BODY_LENGTH, "FRAGMENT") then
        return
    end
    local transmissions = tvb(offset + 4, 1):uint()
    local transmissions_item = frame_tree:add(f.fragment_transmissions, tvb(offset + 4, 1))
    frame_tree:add(f.fragment_reserved, tvb(offset + 5, 3))
    local msg_id = tvb(offset + 8, 8):uint64()
    frame_tree:add(f.fragment_msg_id, tvb(offset + 8, 8))
    add_epoch_ms(frame_tree, tvb, offset + 16, f.fragment_send_time, f.fragment_send_time_abs)
    local message_length = tvb(offset + 24, 4):uint()
    local index = tvb(offset + 28, 4):uint()
    local count = tvb(offset + 32, 4):uint()
    local data_offset = tvb(offset + 36, 4):uint()
    frame_tree:add(f.fragment_message_length, tvb(offset + 24, 4))
    local index_item = frame_tree:add(f.fragment_index, tvb(offset + 28, 4))
    frame_tree:add(f.fragment_count, tvb(offset + 32, 4))
    frame_tree:add(f.fragment_offset, tvb(offset + 36, 4))
    local length = body_length - FRAGMENT_MIN_BODY_LENGTH
    if length > 0 then
        frame_tree:add(f.fragment_data, tvb(offset + 40, length))
    end
    if message_length > 0x7FFFFFFF or count < 1 or count > message_length or index >= count
            or data_offset + length > message_length then
        self:reject(index_item, "BAD_FIELD", "fragment " .. index .. " of " .. count .. " at " .. data_offset
            .. " (+" .. length .. ") does not fit a message of " .. message_length .. " bytes")
        return
    end
    if transmissions > 1 then
        transmissions_item:add_proto_expert_info(e.retransmission,
            "Retransmitted fragment of message " .. tostring(msg_id) .. ": transmission " .. transmissions)
    end
    frame_tree:append_text(": message " .. tostring(msg_id) .. ", fragment " .. index .. " of " .. count .. ", "
        .. length .. " of " .. message_length .. " bytes, transmission " .. transmissions)
    self:note("FRAGMENT " .. tostring(msg_id) .. " " .. index .. "/" .. count
        .. (transmissions > 1 and (" (copy " .. transmissions .. ")") or ""))
end

--- FRAGMENT_ACK body: origin client id u32, origin incarnation u64, message id u64, echoed send time u64,
--- ack time u64, fragment index u32 (later body bytes ignored).
function Datagram:dissect_fragment_ack(frame_tree, offset, body_length)
    local tvb = self.tvb
    if self:short_body(frame_tree, offset, body_length, FRAGMENT_ACK_BODY_LENGTH, "FRAGMENT_ACK") then
        return
    end
    frame_tree:add(f.fragment_ack_origin_client_id, tvb(offset + 4, 4))
    frame_tree:add(f.fragment_ack_origin_incarnation, tvb(offset + 8, 8))
    local msg_id = tvb(offset + 16, 8):uint64()
    frame_tree:add(f.fragment_ack_msg_id, tvb(offset + 16, 8))
    add_epoch_ms(frame_tree, tvb, offset + 24, f.fragment_ack_echoed_send_time, f.fragment_ack_echoed_send_time_abs)
    add_epoch_ms(frame_tree, tvb, offset + 32, f.fragment_ack_time, f.fragment_ack_time_abs)
    local index = tvb(offset + 40, 4):uint()
    frame_tree:add(f.fragment_ack_index, tvb(offset + 40, 4))
    frame_tree:append_text(": message " .. tostring(msg_id) .. ", fragment " .. index)
    self:note("FRAGMENT_ACK " .. tostring(msg_id) .. " " .. index)
end

--- TRACE_CONTEXT body: message id u64, traceparent version u8, trace flags u8, tracestate length u16, trace id
--- (16 bytes), parent span id (8 bytes), tracestate; later body bytes ignored. A body shorter than 36 bytes, or
--- than 36 plus the tracestate, is BAD_FIELD, as DatagramReader.checkOptionalFrame has it.
function Datagram:dissect_trace_context(frame_tree, offset, body_length)
    local tvb = self.tvb
    if self:short_body(frame_tree, offset, body_length, TRACE_CONTEXT_MIN_BODY_LENGTH, "TRACE_CONTEXT") then
        return
    end
    local msg_id = tvb(offset + 4, 8):uint64()
    frame_tree:add(f.trace_msg_id, tvb(offset + 4, 8))
    local version = tvb(offset + 12, 1):uint()
    frame_tree:add(f.trace_version, tvb(offset + 12, 1))
    local flags = tvb(offset + 13, 1):uint()
    local flags_item = frame_tree:add(f.trace_flags, tvb(offset + 13, 1))
    flags_item:add(f.trace_sampled, tvb(offset + 13, 1))
    local state_length = tvb(offset + 14, 2):uint()
    local state_item = frame_tree:add(f.trace_state_length, tvb(offset + 14, 2))
    frame_tree:add(f.trace_id, tvb(offset + 16, 16))
    frame_tree:add(f.trace_span_id, tvb(offset + 32, 8))
    if state_length > body_length - TRACE_CONTEXT_MIN_BODY_LENGTH then
        self:reject(state_item, "BAD_FIELD", "tracestate of " .. state_length .. " bytes runs past the body ("
            .. (body_length - TRACE_CONTEXT_MIN_BODY_LENGTH) .. " left)")
        return
    end
    local traceparent = string.format("%02x-%s-%s-%02x", version, tvb(offset + 16, 16):bytes():tohex(true),
        tvb(offset + 32, 8):bytes():tohex(true), flags)
    frame_tree:add(f.traceparent, tvb(offset + 12, 28), traceparent)
    if state_length > 0 then
        frame_tree:add(f.tracestate, tvb(offset + 40, state_length))
    end
    local extra = body_length - TRACE_CONTEXT_MIN_BODY_LENGTH - state_length
    if extra > 0 then
        frame_tree:add(f.trace_extra, tvb(offset + 40 + state_length, extra))
    end
    frame_tree:append_text(": message " .. tostring(msg_id) .. ", " .. traceparent)
    self:note("TRACE_CONTEXT " .. tostring(msg_id))
end

function Datagram:dissect_optional(frame_tree, offset, limit, frame_type)
    local tvb = self.tvb
    local flags_item = frame_tree:add(f.optional_flags, tvb(offset + 1, 1))
    local body_length = tvb(offset + 2, 2):uint()
    local length_item = frame_tree:add(f.optional_body_length, tvb(offset + 2, 2))
    if body_length > limit - offset - OPTIONAL_HEAD_LENGTH then
        self:reject(length_item, "TRUNCATED", "body of " .. body_length .. " bytes runs past the end ("
            .. (limit - offset - OPTIONAL_HEAD_LENGTH) .. " left)")
        if limit > offset + OPTIONAL_HEAD_LENGTH then
            frame_tree:add(f.undecoded, tvb(offset + OPTIONAL_HEAD_LENGTH, limit - offset - OPTIONAL_HEAD_LENGTH))
        end
        return nil
    end
    if frame_type == TYPE_CAPABILITIES then
        flags_item:add(f.capabilities_answer_requested, tvb(offset + 1, 1))
        self:dissect_capabilities(frame_tree, offset, body_length)
    elseif frame_type == TYPE_REQUEST then
        self:dissect_request(frame_tree, offset, body_length)
    elseif frame_type == TYPE_REPLY then
        flags_item:add(f.reply_no_reply, tvb(offset + 1, 1))
        self:dissect_reply(frame_tree, offset, body_length)
    elseif frame_type == TYPE_FRAGMENT then
        self:dissect_fragment(frame_tree, offset, body_length)
    elseif frame_type == TYPE_FRAGMENT_ACK then
        self:dissect_fragment_ack(frame_tree, offset, body_length)
    elseif frame_type == TYPE_TRACE_CONTEXT then
        self:dissect_trace_context(frame_tree, offset, body_length)
    else
        if body_length > 0 then
            frame_tree:add(f.optional_body, tvb(offset + OPTIONAL_HEAD_LENGTH, body_length))
        end
        frame_tree:add_proto_expert_info(e.unknown_optional, string.format(
            "Unknown optional frame type 0x%02x: skipped by length (%d body bytes), the rest is processed",
            frame_type, body_length))
        self:note(string.format("optional 0x%02x skipped", frame_type))
    end
    return OPTIONAL_HEAD_LENGTH + body_length
end

--- One frame at offset; returns its length, or nil when the rest cannot be decoded.
function Datagram:dissect_frame(index, offset, limit)
    local tvb = self.tvb
    local frame_tree = self.tree:add(f.frame, tvb(offset, limit - offset))
    frame_tree:set_text("Frame " .. index)
    if limit - offset < OPTIONAL_HEAD_LENGTH then -- also the common part of every core frame
        self:reject(frame_tree, "TRUNCATED", "frame " .. index .. " of " .. (limit - offset) .. " bytes is cut short")
        if limit > offset then
            frame_tree:add(f.undecoded, tvb(offset, limit - offset))
        end
        return nil
    end
    local frame_type = tvb(offset, 1):uint()
    frame_tree:add(f.frame_type, tvb(offset, 1))
    frame_tree:add(f.frame_range, tvb(offset, 1), type_range(frame_type)):set_generated()
    frame_tree:set_text("Frame " .. index .. ": " .. frame_type_name(frame_type))
    local length
    if type_range(frame_type) == "optional" then
        length = self:dissect_optional(frame_tree, offset, limit, frame_type)
    elseif frame_type == TYPE_DATA then
        length = self:dissect_data(frame_tree, offset, limit)
    elseif frame_type == TYPE_ACK then
        length = self:dissect_ack(frame_tree, offset, limit)
    elseif frame_type == TYPE_PING or frame_type == TYPE_PONG then
        length = self:dissect_heartbeat(frame_tree, offset, limit, frame_type)
    else
        -- DatagramReader checks a core frame's reserved u16 and transmissions before its type
        self:core_head(frame_tree, offset, f.frame_transmissions)
        self:reject(frame_tree, "UNKNOWN_FRAME_TYPE", "type " .. string.format("0x%02x", frame_type))
        frame_tree:add_proto_expert_info(e.unknown_core, string.format(
            "Unknown %s frame type 0x%02x: datagram dropped by readers", type_range(frame_type), frame_type))
        frame_tree:add(f.undecoded, tvb(offset, limit - offset))
        self:note(string.format("unknown %s 0x%02x", type_range(frame_type), frame_type))
        return nil
    end
    if length ~= nil then
        frame_tree:set_len(length)
        frame_tree:add(f.frame_length, tvb(offset, length), length):set_generated()
    end
    return length
end

-- Datagram -----------------------------------------------------------------------------------

function Datagram:dissect_header(length)
    local tvb, tree = self.tvb, self.tree
    tree:add(f.magic, tvb(0, 2))
    local version_item = tree:add(f.version, tvb(2, 1))
    local flags = tvb(3, 1):uint()
    local flags_item = tree:add(f.flags, tvb(3, 1))
    flags_item:add(f.flag_authenticated, tvb(3, 1))
    flags_item:add(f.flag_unknown, tvb(3, 1))
    tree:add(f.client_id, tvb(4, 4))
    tree:add(f.incarnation, tvb(8, 8))
    local count_item = tree:add(f.frame_count, tvb(16, 2))
    local reserved_item = tree:add(f.header_reserved, tvb(18, 2))
    if tvb(0, 2):uint() ~= MAGIC then
        self:reject(tree, "BAD_MAGIC", string.format("magic 0x%04x is not 0x524d \"RM\"", tvb(0, 2):uint()))
        return nil
    end
    if tvb(2, 1):uint() ~= VERSION then
        self:reject(version_item, "UNSUPPORTED_VERSION", "header version " .. tvb(2, 1):uint() .. ", readers read only 1")
        return nil
    end
    if flags >= 2 then
        self:reject(flags_item, "BAD_FIELD", string.format("undefined header flag bits set (0x%02x)", flags))
    elseif tvb(18, 2):uint() ~= 0 then
        self:reject(reserved_item, "BAD_FIELD", "header reserved field is not 0")
    elseif tvb(16, 2):uint() == 0 then
        self:reject(count_item, "BAD_FIELD", "zero frames")
    end
    local limit = length
    if flags % 2 == FLAG_AUTHENTICATED then
        if length < HEADER_LENGTH + TRAILER_LENGTH then
            self:reject(flags_item, "TRUNCATED", "authentication flag set but no room for the "
                .. TRAILER_LENGTH .. "-byte trailer")
        else
            limit = length - TRAILER_LENGTH
        end
    end
    return limit
end

function Datagram:dissect_trailer(limit, length)
    local tvb = self.tvb
    local trailer = self.tree:add(f.auth, tvb(limit, TRAILER_LENGTH))
    trailer:add(f.auth_key_id, tvb(limit, 1))
    trailer:add(f.auth_mac, tvb(limit + 1, MAC_LENGTH))
    trailer:append_text(": key " .. tvb(limit, 1):uint())
end

function Datagram:dissect()
    local tvb, pinfo = self.tvb, self.pinfo
    local length = tvb:len()
    pinfo.cols.protocol = "reliable-msg"
    if length < HEADER_LENGTH then
        local too_short = length >= 2 and tvb(0, 2):uint() ~= MAGIC and "BAD_MAGIC" or "TRUNCATED"
        self:reject(self.tree, too_short, "datagram of " .. length .. " bytes, shorter than the "
            .. HEADER_LENGTH .. "-byte header")
        if length > 0 then
            self.tree:add(f.undecoded, tvb(0, length))
        end
    else
        local limit = self:dissect_header(length)
        if limit ~= nil then
            local offset = HEADER_LENGTH
            local frames = tvb(16, 2):uint()
            for index = 1, frames do
                local frame_length = self:dissect_frame(index, offset, limit)
                if frame_length == nil then
                    offset = nil
                    break
                end
                offset = offset + frame_length
            end
            if offset ~= nil and offset ~= limit then
                local rest = self.tree:add(f.undecoded, tvb(offset, limit - offset))
                self:reject(rest, "TRAILING_BYTES", (limit - offset) .. " bytes after the last frame")
            end
            if limit < length then
                self:dissect_trailer(limit, length)
            end
        elseif length > HEADER_LENGTH then
            self.tree:add(f.undecoded, tvb(HEADER_LENGTH, length - HEADER_LENGTH))
        end
        self.tree:append_text(string.format(", client %d", tvb(4, 4):uint()))
    end
    local outcome = self.error == nil and "accepted" or ("dropped: " .. self.error)
    self.tree:add(f.reader_outcome, outcome):set_generated()
    local info = table.concat(self.summary, ", ")
    if self.error ~= nil then
        info = (info ~= "" and (info .. " ") or "") .. "[" .. outcome .. "]"
    end
    pinfo.cols.info = info
end

local function dissect(tvb, pinfo, tree)
    local subtree = tree:add(proto, tvb())
    new_datagram(tvb, pinfo, subtree):dissect()
    return tvb:len()
end

function proto.dissector(tvb, pinfo, tree)
    return dissect(tvb, pinfo, tree)
end

local function heuristic(tvb, pinfo, tree)
    if not proto.prefs.heuristic or tvb:len() < HEADER_LENGTH
        or tvb(0, 2):uint() ~= MAGIC or tvb(2, 1):uint() ~= VERSION then
        return false
    end
    dissect(tvb, pinfo, tree)
    return true
end

proto:register_heuristic("udp", heuristic)

local udp_port_table = DissectorTable.get("udp.port")
udp_port_table:add_for_decode_as(proto)
local registered_ports = ""

function proto.prefs_changed()
    local ports = tostring(proto.prefs.udp_ports)
    if ports ~= registered_ports then
        if registered_ports ~= "" then
            udp_port_table:remove(registered_ports, proto)
        end
        if ports ~= "" then
            udp_port_table:add(ports, proto)
        end
        registered_ports = ports
    end
end
