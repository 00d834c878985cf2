/// \file switchboard.hpp
/// \brief Everything a plugin needs, in one include.
#pragma once

#include <switchboard/abi.hpp>
#include <switchboard/backoff.hpp>
#include <switchboard/config.hpp>
#include <switchboard/errors.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>
#include <switchboard/log.hpp>
#include <switchboard/node.hpp>
#include <switchboard/plugin.hpp>
#include <switchboard/station.hpp>
