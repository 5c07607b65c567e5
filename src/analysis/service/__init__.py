"""Service quality from call logs and complaint records (服务质量): KPIs, Erlang A, feeds."""
