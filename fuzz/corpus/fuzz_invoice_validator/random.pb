
2.1.0Hóa đơn giá trị gia tăng1"C26TAA(���2
2026-11-20:VNDJTM/CKj�
4Công ty TNHH Thử Nghiệm Hóa Đơn Điện Tử
9910000047DSố 1 Đường Thử Nghiệm, Phường Mẫu, Thành phố Thử"
0240000000*hoadon@example.invalidr�
0Công ty Cổ phần Người Mua Thử Nghiệm
9911115611>Số 2 Đường Ví Dụ, Phường Mẫu, Thành phố ThửBNguyễn Văn ThửzWSP1"!Văn phòng phẩm thử nghiệm*Cái267:2081800J208180R	139272420Z10%zGSP2"Phần mềm thử nghiệm*Cái223:977700R22487100Z10%zTSP3"(Thực phẩm đóng gói thử nghiệm*Cái213:1885100R24506300Z8%zOSP4"!Văn phòng phẩm thử nghiệm*Cái278:4110600R	320626800Z10%zSSP5"(Thực phẩm đóng gói thử nghiệm*Cái29:2255400R20298600Z8%zHSP6"Phần mềm thử nghiệm*Cái233:4164800R	137438400Z8%zOSP7"$Dịch vụ tư vấn thử nghiệm*Cái280:409500R32760000Z0%zOSP8"!Văn phòng phẩm thử nghiệm*Cái225:4269200R	106730000Z10%zV	SP9")Dịch vụ vận chuyển thử nghiệm*Cái249:3599700R	176385300Z5%zI
SP10"Phần mềm thử nghiệm*Cái259:1241700R73260300Z10%z/"+Ghi chú: hàng giao tại kho người mua��

10%	66237662066237662

8%	18224330014579464

0%327600000

5%	1763853008819265
105376522089636391"0*
11434016112mMột tỷ một trăm bốn mươi ba triệu bốn trăm linh một nghìn sáu trăm mười một đồng