# DuckDB 1.4.4 as a prebuilt shared library fetched by setup.sh into third_party/duckdb.
set(DUCKDB_ROOT ${PROJECT_SOURCE_DIR}/third_party/duckdb)
if(NOT EXISTS ${DUCKDB_ROOT}/lib/libduckdb.so)
  message(FATAL_ERROR "DuckDB not found under ${DUCKDB_ROOT}: run ./setup.sh")
endif()
add_library(duckdb SHARED IMPORTED GLOBAL)
set_target_properties(duckdb PROPERTIES
  IMPORTED_LOCATION ${DUCKDB_ROOT}/lib/libduckdb.so)
# duckdb.h is third-party: include it as a system header so our warnings do not apply.
target_include_directories(duckdb SYSTEM INTERFACE ${DUCKDB_ROOT}/include)
set(CMAKE_BUILD_RPATH ${DUCKDB_ROOT}/lib)
