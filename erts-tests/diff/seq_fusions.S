%% Differential test of the loader's combined instructions
%% (loader/transform.c), written as BEAM assembly so that the generic
%% sequences are exactly the ones the rules match, including the edge
%% cases where fusing would be wrong: a get_tuple_element overwriting the
%% tuple the next one reads, moves that depend on each other, a fun called
%% from a Y register with and without free variables, as a tail call.
{module, seq_fusions}.  %% version = 0

{exports, [{main,0}]}.

{attributes, []}.

{labels, 40}.

{function, main, 0, 2}.
  {label,1}.
    {line,[{location,"seq_fusions.S",1}]}.
    {func_info,{atom,seq_fusions},{atom,main},0}.
  {label,2}.
    {allocate,0,0}.
    {call,0,{f,4}}.
    {call_ext,1,{extfunc,erlang,display,1}}.
    {move,{literal,{{a,b},c}},{x,0}}.
    {call,1,{f,6}}.
    {call_ext,1,{extfunc,erlang,display,1}}.
    {move,{integer,2},{x,1}}.
    {move,{integer,1},{x,0}}.
    {call,2,{f,8}}.
    {call_ext,1,{extfunc,erlang,display,1}}.
    {move,{integer,2},{x,1}}.
    {move,{integer,1},{x,0}}.
    {call,2,{f,10}}.
    {call_ext,1,{extfunc,erlang,display,1}}.
    {move,{literal,[{1,2},{1,2,3},x,[],{},{a,b,c,d}]},{x,0}}.
    {call,1,{f,31}}.
    {call_ext,1,{extfunc,erlang,display,1}}.
    {test_heap,{alloc,[{words,0},{floats,0},{funs,1}]},0}.
    {make_fun3,{f,25},0,0,{x,0},{list,[]}}.
    {move,{integer,7},{x,1}}.
    {call,2,{f,18}}.
    {call_ext,1,{extfunc,erlang,display,1}}.
    {test_heap,{alloc,[{words,0},{floats,0},{funs,1}]},0}.
    {make_fun3,{f,27},1,0,{x,0},{list,[{atom,env}]}}.
    {move,{integer,8},{x,1}}.
    {call,2,{f,18}}.
    {call_ext,1,{extfunc,erlang,display,1}}.
    {test_heap,{alloc,[{words,0},{floats,0},{funs,1}]},0}.
    {make_fun3,{f,27},1,0,{x,0},{list,[{atom,tail}]}}.
    {move,{integer,9},{x,1}}.
    {call,2,{f,20}}.
    {call_ext,1,{extfunc,erlang,display,1}}.
    {move,{atom,ok},{x,0}}.
    {deallocate,0}.
    return.

%% the first get overwrites x0: the second reads the new x0
{function, g_clobber, 0, 4}.
  {label,3}.
    {line,[{location,"seq_fusions.S",2}]}.
    {func_info,{atom,seq_fusions},{atom,g_clobber},0}.
  {label,4}.
    {move,{literal,{{a,b},c}},{x,0}}.
    {get_tuple_element,{x,0},0,{x,0}}.
    {get_tuple_element,{x,0},1,{x,1}}.
    {test_heap,3,2}.
    {put_tuple2,{x,0},{list,[{x,0},{x,1}]}}.
    return.

%% two elements of one tuple: combined
{function, g_two, 1, 6}.
  {label,5}.
    {line,[{location,"seq_fusions.S",3}]}.
    {func_info,{atom,seq_fusions},{atom,g_two},1}.
  {label,6}.
    {test,is_tuple,{f,5},[{x,0}]}.
    {test,test_arity,{f,5},[{x,0},2]}.
    {get_tuple_element,{x,0},1,{x,1}}.
    {get_tuple_element,{x,0},0,{x,0}}.
    {test_heap,3,2}.
    {put_tuple2,{x,0},{list,[{x,0},{x,1}]}}.
    return.

%% moves that read what the one before wrote
{function, mv_chain, 2, 8}.
  {label,7}.
    {line,[{location,"seq_fusions.S",4}]}.
    {func_info,{atom,seq_fusions},{atom,mv_chain},2}.
  {label,8}.
    {move,{x,1},{x,2}}.
    {move,{x,2},{x,3}}.
    {move,{x,0},{x,1}}.
    {move,{x,3},{x,0}}.
    {test_heap,5,4}.
    {put_tuple2,{x,0},{list,[{x,0},{x,1},{x,2},{x,3}]}}.
    return.

%% pairs of moves between X and Y
{function, mv_y, 2, 10}.
  {label,9}.
    {line,[{location,"seq_fusions.S",5}]}.
    {func_info,{atom,seq_fusions},{atom,mv_y},2}.
  {label,10}.
    {allocate,3,2}.
    {init_yregs,{list,[{y,2}]}}.
    {move,{x,0},{y,0}}.
    {move,{x,1},{y,1}}.
    {move,{y,1},{x,0}}.
    {move,{y,0},{x,1}}.
    {move,{y,0},{y,2}}.
    {move,{integer,5},{x,2}}.
    {test_heap,5,3}.
    {put_tuple2,{x,0},{list,[{x,0},{x,1},{x,2},{y,2}]}}.
    {deallocate,3}.
    return.

%% call the fun in y0 (its move into x1 is dropped), then a normal return
{function, cf, 2, 18}.
  {label,17}.
    {line,[{location,"seq_fusions.S",6}]}.
    {func_info,{atom,seq_fusions},{atom,cf},2}.
  {label,18}.
    {allocate,1,2}.
    {move,{x,0},{y,0}}.
    {swap,{x,0},{x,1}}.
    {move,{y,0},{x,1}}.
    {line,[{location,"seq_fusions.S",7}]}.
    {call_fun,1}.
    {test_heap,3,1}.
    {put_tuple2,{x,0},{list,[{x,0},{y,0}]}}.
    {deallocate,1}.
    return.

%% the same as a tail call
{function, cft, 2, 20}.
  {label,19}.
    {line,[{location,"seq_fusions.S",8}]}.
    {func_info,{atom,seq_fusions},{atom,cft},2}.
  {label,20}.
    {allocate,1,2}.
    {move,{x,0},{y,0}}.
    {swap,{x,0},{x,1}}.
    {move,{y,0},{x,1}}.
    {call_fun,1}.
    {deallocate,1}.
    return.

%% is_tuple + test_arity, and is_tuple before select_tuple_arity
{function, ta, 1, 22}.
  {label,21}.
    {line,[{location,"seq_fusions.S",9}]}.
    {func_info,{atom,seq_fusions},{atom,ta},1}.
  {label,22}.
    {test,is_tuple,{f,23},[{x,0}]}.
    {test,test_arity,{f,23},[{x,0},2]}.
    {move,{atom,two},{x,0}}.
    return.
  {label,23}.
    {test,is_tuple,{f,24},[{x,0}]}.
    {select_tuple_arity,{x,0},{f,24},{list,[3,{f,28},4,{f,29}]}}.
  {label,28}.
    {move,{atom,three},{x,0}}.
    return.
  {label,29}.
    {move,{atom,four},{x,0}}.
    return.
  {label,24}.
    {move,{atom,other},{x,0}}.
    return.

{function, '-fun-0-', 1, 25}.
  {label,30}.
    {line,[{location,"seq_fusions.S",10}]}.
    {func_info,{atom,seq_fusions},{atom,'-fun-0-'},1}.
  {label,25}.
    {test_heap,2,1}.
    {put_tuple2,{x,0},{list,[{x,0}]}}.
    return.

{function, '-fun-1-', 2, 27}.
  {label,26}.
    {line,[{location,"seq_fusions.S",11}]}.
    {func_info,{atom,seq_fusions},{atom,'-fun-1-'},2}.
  {label,27}.
    {test_heap,3,2}.
    {put_tuple2,{x,0},{list,[{x,0},{x,1}]}}.
    return.

{function, map_ta, 1, 31}.
  {label,32}.
    {line,[{location,"seq_fusions.S",12}]}.
    {func_info,{atom,seq_fusions},{atom,map_ta},1}.
  {label,31}.
    {test,is_nonempty_list,{f,33},[{x,0}]}.
    {allocate,1,1}.
    {get_list,{x,0},{x,0},{y,0}}.
    {call,1,{f,22}}.
    {swap,{y,0},{x,0}}.
    {call,1,{f,31}}.
    {test_heap,2,1}.
    {put_list,{y,0},{x,0},{x,0}}.
    {deallocate,1}.
    return.
  {label,33}.
    return.
