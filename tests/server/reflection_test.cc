// Server reflection: a generic gRPC client discovers the services and their messages without
// the .proto files (what grpcurl and Postman do). The reflection messages are used through
// their descriptors (libgrpc++_reflection registers them; Debian installs no header for them)
// over a generic stream, as such a tool would.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "tests/server/server_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::ServerFixture;
using ::testing::IsSupersetOf;
namespace pb = ::google::protobuf;

constexpr char kMethod[] = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

std::unique_ptr<pb::Message> NewMessage(const std::string& name) {
  const pb::Descriptor* descriptor = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(name);
  EXPECT_NE(descriptor, nullptr) << name;
  if (descriptor == nullptr) return nullptr;
  return std::unique_ptr<pb::Message>(
      pb::MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
}

class ReflectionTest : public ServerFixture {
 protected:
  // One request/response exchange on the reflection stream.
  std::unique_ptr<pb::Message> Ask(grpc::GenericClientAsyncReaderWriter* stream,
                                   grpc::CompletionQueue* cq, const std::string& field,
                                   const std::string& value) {
    std::unique_ptr<pb::Message> request =
        NewMessage("grpc.reflection.v1alpha.ServerReflectionRequest");
    request->GetReflection()->SetString(
        request.get(), request->GetDescriptor()->FindFieldByName(field), value);
    grpc::Slice slice(request->SerializeAsString());
    grpc::ByteBuffer out(&slice, 1);
    stream->Write(out, this);
    Next(cq);
    grpc::ByteBuffer in;
    stream->Read(&in, this);
    Next(cq);
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(in.Dump(&slices).ok());
    std::string bytes;
    for (const grpc::Slice& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    std::unique_ptr<pb::Message> response =
        NewMessage("grpc.reflection.v1alpha.ServerReflectionResponse");
    EXPECT_TRUE(response->ParseFromString(bytes));
    return response;
  }

  void Next(grpc::CompletionQueue* cq) {
    void* tag = nullptr;
    bool ok = false;
    ASSERT_TRUE(cq->Next(&tag, &ok));
    ASSERT_TRUE(ok);
    ASSERT_EQ(tag, this);
  }
};

TEST_F(ReflectionTest, ListsTheServicesAndDescribesTheirMessages) {
  StartServer();
  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> stream =
      stub.PrepareCall(&context, kMethod, &cq);
  stream->StartCall(this);
  Next(&cq);

  std::unique_ptr<pb::Message> listed = Ask(stream.get(), &cq, "list_services", "");
  const pb::Message& list = listed->GetReflection()->GetMessage(
      *listed, listed->GetDescriptor()->FindFieldByName("list_services_response"));
  const pb::FieldDescriptor* service_field = list.GetDescriptor()->FindFieldByName("service");
  std::vector<std::string> services;
  for (int i = 0; i < list.GetReflection()->FieldSize(list, service_field); ++i) {
    const pb::Message& service = list.GetReflection()->GetRepeatedMessage(list, service_field, i);
    services.push_back(service.GetReflection()->GetString(
        service, service.GetDescriptor()->FindFieldByName("name")));
  }
  EXPECT_THAT(services, IsSupersetOf({"einvoice.v1.InvoiceAuthority", "einvoice.v1.TaxOfficer",
                                      "einvoice.v1.AuthorityAdmin", "grpc.health.v1.Health"}));

  // The file defining a message comes back as a FileDescriptorProto a client can build on.
  std::unique_ptr<pb::Message> described =
      Ask(stream.get(), &cq, "file_containing_symbol", "einvoice.v1.SubmitInvoiceRequest");
  const pb::FieldDescriptor* files_field =
      described->GetDescriptor()->FindFieldByName("file_descriptor_response");
  ASSERT_TRUE(described->GetReflection()->HasField(*described, files_field))
      << described->DebugString();
  const pb::Message& files = described->GetReflection()->GetMessage(*described, files_field);
  const pb::FieldDescriptor* bytes_field =
      files.GetDescriptor()->FindFieldByName("file_descriptor_proto");
  ASSERT_GT(files.GetReflection()->FieldSize(files, bytes_field), 0);
  pb::FileDescriptorProto file;
  ASSERT_TRUE(file.ParseFromString(files.GetReflection()->GetRepeatedString(files, bytes_field, 0)));
  EXPECT_EQ(file.package(), "einvoice.v1");

  stream->WritesDone(this);
  Next(&cq);
  grpc::Status status;
  stream->Finish(&status, this);
  Next(&cq);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace einvoice
