%% BIFs the OTP boot needs, part 3: distribution on a node that is not alive
%% (nodes/0,1,2, monitor_node/2,3, setnode/2, net_kernel:dflag_unicode_io/1,
%% dist_ctrl_put_data/2, create_dist_channel/3, new_connection/1,
%% abort_pending_connection/2, dist_spawn_request/4).  References and
%% connection ids are never printed, only compared.
-module(boot_dist).
-export([main/0]).

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

drain() -> receive M -> [M | drain()] after 50 -> [] end.

main() ->
    d({node(), is_alive()}),
    nodes_bifs(),
    monitor_node_bifs(),
    misc(),
    connections(),
    spawn_requests(),
    ok.

nodes_bifs() ->
    d(nodes()),
    d([r(fun() -> nodes(A) end) ||
          A <- [visible, hidden, connected, this, known, [], [this, visible], [known, this],
                [this, this], [visible, hidden, connected], [x], x, [this | x], "this", 1]]),
    d([r(fun() -> nodes(A, O) end) ||
          {A, O} <- [{visible, #{}}, {visible, #{connection_id => true}},
                     {visible, #{node_type => true}},
                     {this, #{node_type => true, connection_id => true}},
                     {known, #{node_type => true}}, {this, #{connection_id => true}},
                     {this, #{node_type => false}}, {[this], #{node_type => false, connection_id => false}},
                     {this, #{}}, {this, #{foo => true}}, {this, #{node_type => x}},
                     {this, x}, {this, [node_type]}, {x, #{}}, {[x], #{}}]]).

monitor_node_bifs() ->
    d([r(fun() -> monitor_node(N, F) end) ||
          {N, F} <- [{node(), true}, {node(), false}, {node(), x}, {foo@bar, true},
                     {foo@bar, false}, {foo@bar, x}, {x, true}, {'foo@', true}, {"x", true},
                     {1, true}]]),
    d([r(fun() -> erlang:monitor_node(N, F, O) end) ||
          {N, F, O} <- [{node(), true, []}, {node(), true, [allow_passive_connect]},
                        {node(), x, []}, {node(), true, [x]}, {node(), true, x},
                        {node(), true, [allow_passive_connect | x]}, {foo@bar, true, []},
                        {foo@bar, false, [allow_passive_connect]}, {foo@bar, true, [{x}]},
                        {1, true, []}, {1, true, [x]}]]),
    d(drain()).

misc() ->
    d([r(fun() -> erlang:setnode(N, C) end) || {N, C} <- [{foo@bar, 1}, {foo@bar, 0}, {x, 1}, {foo@bar, a}]]),
    d([r(fun() -> net_kernel:dflag_unicode_io(X) end) || X <- [self(), a, make_ref(), 1]]),
    d([r(fun() -> erlang:dist_ctrl_put_data(H, D) end) ||
          {H, D} <- [{a, <<>>}, {make_ref(), <<"x">>}, {self(), []}]]),
    d([erts_internal:create_dist_channel(N, self(), F) ||
          {N, F} <- [{foo@bar, {1, 2, 3}}, {a, b}, {node(), {1, 2, 3}}]]).

connections() ->
    {I1, H1} = erts_internal:new_connection(foo@bar),
    {I2, H2} = erts_internal:new_connection(foo@bar),
    d({is_integer(I1), is_reference(H1), I1 =:= I2, H1 =:= H2}),
    {I3, H3} = erts_internal:new_connection(foo@baz),
    d({I3 =/= I1, H3 =/= H1}),
    d(erts_internal:abort_pending_connection(foo@bar, {I1, H1})),
    d(erts_internal:abort_pending_connection(foo@bar, {I1, H1})),
    {I4, H4} = erts_internal:new_connection(foo@bar),
    d({I4 - I1, H4 =:= H1}),
    d(erts_internal:abort_pending_connection(foo@bar, {I4 + 1, H4})),
    d([r(fun() -> erts_internal:abort_pending_connection(N, C) end) ||
          {N, C} <- [{foo@baz, {I4, H4}}, {foo@bar, {I4}}, {foo@bar, I4}, {a, b},
                     {never@seen, {1, H1}}, {"foo@bar", {I4, H4}}]]),
    d([r(fun() -> erts_internal:new_connection(N) end) ||
          N <- [node(), 'foo@', '@bar', foo, "foo@bar", 1]]),
    d(drain()).

%% {Type, Tag, Result, Monitor} of a reply to a request, or the direct result.
spawn_req(N, MFA, Opts, Type) ->
    case erts_internal:dist_spawn_request(N, MFA, Opts, Type) of
        R when is_reference(R) -> {ref, replies(R)};
        {R, Mon} when is_reference(R) -> {{ref, Mon}, replies(R)};
        Other -> Other
    end.

replies(R) ->
    [case M of
         {Tag, R, error, Why} -> {Tag, error, Why};
         _ -> {other, M}
     end || M <- drain()].

spawn_requests() ->
    MFA = {m, f, []},
    d([spawn_req(foo@bar, MFA, O, spawn_request) ||
          O <- [[], [monitor], [link], [{monitor, []}], [x], [{priority, high}], [{priority, xx}],
                [{reply_tag, t}], [{reply_tag, a}, {reply_tag, b}], [{reply, yes}], [{reply, no}],
                [{reply, error_only}], [{reply, success_only}], [{reply, x}],
                [{reply, no}, {reply, yes}], [{reply, no}, {reply, x}]]]),
    d([spawn_req(foo@bar, MFA, O, spawn) || O <- [[], [monitor], [link], [{monitor, []}]]]),
    d(spawn_req(foo@bar, MFA, [], x)),
    d(spawn_req(foo, MFA, [], spawn_request)),
    d([spawn_req(N, M, O, spawn_request) ||
          {N, M, O} <- [{node(), MFA, []}, {"foo@bar", MFA, []}, {foo@bar, {m, f, a}, []},
                        {foo@bar, {m, f, [a | b]}, []}, {foo@bar, {m, "f", []}, []},
                        {foo@bar, {1, f, []}, []}, {foo@bar, {m, f, [], x}, []},
                        {foo@bar, x, []}, {foo@bar, MFA, x}, {foo@bar, MFA, [monitor | x]}]]),
    %% erlang:spawn_request/5 on top of it
    R = erlang:spawn_request(foo@bar, m, f, [], [{reply_tag, my_tag}]),
    d(receive {my_tag, R, error, Why} -> Why after 5000 -> no_reply end),
    d(drain()).
